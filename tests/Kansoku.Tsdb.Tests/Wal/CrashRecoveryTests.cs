using System.Diagnostics;
using System.Globalization;
using Kansoku.Core.Labels;

namespace Kansoku.Tsdb.Tests.Wal;

public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly TsdbFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task After_SIGKILL_every_acknowledged_commit_is_recovered_and_nothing_is_torn()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add("wal-writer");
        start.ArgumentList.Add(_fixture.Directory.Path);
        using var child = Process.Start(start)!;
        var acknowledged = -1L;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (acknowledged < 300 && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                acknowledged = long.Parse(line, CultureInfo.InvariantCulture);
            }
        }
        child.Kill(); // SIGKILL: no disposal, no flush, no fsync
        await child.WaitForExitAsync();

        await using var store = _fixture.Open();

        using var querier = store.Querier(long.MinValue, long.MaxValue);
        var series = querier.Select([LabelMatcher.Equal("job", "node")]);
        Assert.Equal(Program.Series, series.Count);
        foreach (var one in series)
        {
            var samples = Samples.Read(one);
            var index = int.Parse(one.Labels.Get("instance")["host-".Length..], CultureInfo.InvariantCulture);
            Assert.True(samples.Count > acknowledged, $"{samples.Count} samples, {acknowledged + 1} acknowledged");
            for (var i = 0; i < samples.Count; i++)
            {
                Assert.Equal((i * TsdbFixture.Interval, TsdbFixture.Expected(index, i * TsdbFixture.Interval)), samples[i]);
            }
        }
        // The store goes on from where the killed writer stopped.
        var appender = store.Appender();
        appender.Append(0, TsdbFixture.Labels(0), long.MaxValue / 2, 1);
        appender.Commit();
    }
}
