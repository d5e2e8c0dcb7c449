using System.Text.Json;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests.Metrics;

/// <summary><c>kansoku query</c> against a real server: JSON output, errors as promtool reports them, flag conflicts.</summary>
public sealed class QueryCommandTests
{
    [Fact]
    public async Task Json_output_is_the_api_result_and_errors_exit_1_with_prometheus_words()
    {
        using var directory = new TempDirectory();
        using var server = ChildProcess.StartKansoku("server", "--data-dir", directory.Path, "--listen", "127.0.0.1:0");
        var url = (await server.ListeningAddressAsync(TimeSpan.FromSeconds(60))).ToString();

        var (exit, stdout, stderr) = ChildProcess.RunKansoku(TimeSpan.FromSeconds(60), "query", "2 * 21", "--time", "1700000000", "--server", url, "-o", "json");
        Assert.True(exit == 0, stderr);
        var point = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal((1700000000, "42"), (point[0].GetInt64(), point[1].GetString()));

        (exit, stdout, _) = ChildProcess.RunKansoku(TimeSpan.FromSeconds(60), "query", "vector(1) + 1", "--time", "1700000000", "--server", url);
        Assert.Equal((0, "{} => 2 @[1700000000]\n"), (exit, stdout));

        (exit, _, stderr) = ChildProcess.RunKansoku(TimeSpan.FromSeconds(60), "query", "sum(", "--server", url);
        Assert.Equal(1, exit);
        Assert.StartsWith("query error: bad_data: invalid parameter \"query\": 1:5: parse error:", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = ChildProcess.RunKansoku(TimeSpan.FromSeconds(60), "query", "up", "--time", "1", "--start", "0", "--server", url);
        Assert.Equal(2, exit);
        Assert.Contains("not both", stderr, StringComparison.Ordinal);
    }
}
