using System.Globalization;
using System.Text;
using Kansoku.Cli.Commands.Tsdb;
using Kansoku.Core.Labels;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests.Metrics;

public sealed class OpenMetricsImporterTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    public async Task A_file_read_in_windows_of_any_size_imports_every_sample(int windowBytes)
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "in.om");
        var text = new StringBuilder("# TYPE temperature gauge\n");
        for (var i = 0; i < 500; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"temperature{{room=\"r{i % 3}\"}} {i} {1_700_000_000 + (i / 3) * 15}\n");
        }
        text.Append("# EOF\n");
        await File.WriteAllTextAsync(file, text.ToString());

        var result = OpenMetricsImporter.Import(file, Path.Combine(directory.Path, "metrics"), TimeProvider.System, windowBytes);

        Assert.Equal(500, result.Samples);
        Assert.Equal(3, result.Series);
        await using var store = Kansoku.Tsdb.Tsdb.Open(new Kansoku.Tsdb.TsdbOptions { DataDirectory = Path.Combine(directory.Path, "metrics") }, TimeProvider.System);
        using var querier = store.Querier(0, long.MaxValue);
        var series = querier.Select([LabelMatcher.Equal("__name__", "temperature")]);
        Assert.Equal(3, series.Count);
        var count = 0;
        foreach (var one in series)
        {
            var iterator = one.Iterator();
            while (iterator.Next())
            {
                count++;
            }
        }
        Assert.Equal(500, count);
    }

    [Fact]
    public async Task A_fault_names_the_line_of_the_file_not_of_the_window()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "in.om");
        var text = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"up {i} {1_700_000_000 + i}\n");
        }
        text.Append("up{ 1 1700000100\n# EOF\n");
        await File.WriteAllTextAsync(file, text.ToString());

        var error = Assert.Throws<ImportException>(() => OpenMetricsImporter.Import(file, Path.Combine(directory.Path, "metrics"), TimeProvider.System, 100));
        Assert.StartsWith($"{file}:51:", error.Message, StringComparison.Ordinal);
    }
}
