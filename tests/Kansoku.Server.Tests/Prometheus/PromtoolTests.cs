using System.Diagnostics;
using Kansoku.Core.Labels;
using Kansoku.Server.Prometheus;
using Kansoku.Storage.Metrics;

namespace Kansoku.Server.Tests.Prometheus;

/// <summary>A fact that runs Debian's promtool against the API; skipped, with the reason, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PromtoolFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/promtool";

    public PromtoolFactAttribute()
    {
        if (!File.Exists(Path))
        {
            Skip = $"promtool is not installed at {Path} (Debian package prometheus)";
        }
    }
}

/// <summary>The real Prometheus client, promtool, reading our responses with client_golang's decoder.</summary>
public sealed class PromtoolTests : IAsyncLifetime
{
    private const long T = 1_700_000_000_000;

    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        var samples = new InMemorySamples()
            .Add(LabelSet.From(("__name__", "up"), ("job", "api"), ("instance", "a:9100")), (T - 60_000, 1), (T - 30_000, 0))
            .Add(LabelSet.From(("__name__", "up"), ("job", "db"), ("instance", "b:9100")), (T - 50_000, 1), (T - 20_000, StaleMarker.Value))
            .Add(LabelSet.From(("__name__", "temperature_celsius"), ("room", "lab")), (T - 10_000, -2.5e-7));
        _host = await ApiHost.StartAsync(new PrometheusApiOptions { Samples = samples });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [PromtoolFact]
    public async Task Query_instant_parses_our_vector()
    {
        var output = await Promtool("query", "instant", "--time=1700000000", Server, "up");
        Assert.Equal("up{instance=\"a:9100\", job=\"api\"} => 0 @[1700000000]", output.Trim());
        var json = await Promtool("query", "instant", "-o", "json", "--time=1700000000", Server, "temperature_celsius");
        // promtool decodes our "-2.5e-07" into a float and prints it back in its own layout.
        Assert.Contains("\"value\":[1700000000,\"-0.00000025\"]", json, StringComparison.Ordinal);
    }

    [PromtoolFact]
    public async Task Query_range_parses_our_matrix()
    {
        var output = await Promtool("query", "range", "--start=1699999940", "--end=1700000000", "--step=30s", Server, "up");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
        [
            "up{instance=\"a:9100\", job=\"api\"} =>", "1 @[1699999940]", "0 @[1699999970]", "0 @[1700000000]",
            "up{instance=\"b:9100\", job=\"db\"} =>", "1 @[1699999970]",
        ], lines);
    }

    [PromtoolFact]
    public async Task Query_series_and_labels_parse_our_lists()
    {
        var series = await Promtool("query", "series", "--match=up", "--start=1699999000", "--end=1700000100", Server);
        Assert.Equal(
            ["{__name__=\"up\", instance=\"a:9100\", job=\"api\"}", "{__name__=\"up\", instance=\"b:9100\", job=\"db\"}"],
            series.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var jobs = await Promtool("query", "labels", "--start=1699999000", "--end=1700000100", Server, "job");
        Assert.Equal(["api", "db"], jobs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [PromtoolFact]
    public async Task Query_errors_reach_promtool_as_prometheus_errors()
    {
        var start = Start("query", "instant", Server, "sum(up");
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("bad_data", stderr, StringComparison.Ordinal);
        Assert.Contains("parse error", stderr, StringComparison.Ordinal);
    }

    private string Server => _host.Address.ToString().TrimEnd('/');

    private static ProcessStartInfo Start(params string[] args)
    {
        var start = new ProcessStartInfo(PromtoolFactAttribute.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }

    private static async Task<string> Promtool(params string[] args)
    {
        using var process = Process.Start(Start(args))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"promtool {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
