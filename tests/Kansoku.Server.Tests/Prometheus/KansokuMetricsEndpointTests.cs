using System.Net;
using Kansoku.Core.Exposition;
using Kansoku.Server.Prometheus;

namespace Kansoku.Server.Tests.Prometheus;

public sealed class KansokuMetricsEndpointTests
{
    [Fact]
    public async Task Metrics_are_served_in_the_text_format()
    {
        var registry = new MetricRegistry();
        var requests = registry.CounterFamily("kansoku_http_requests_total", "HTTP requests served.", "handler");
        requests.WithLabels("/api/v1/query").Inc(3);
        registry.Histogram("kansoku_query_duration_seconds", "Query latency.", [0.1]).Observe(0.05);
        await using var host = await ApiHost.StartAsync(new PrometheusApiOptions { Samples = new InMemorySamples() }, registry);

        using var response = await host.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(
            "# HELP kansoku_http_requests_total HTTP requests served.\n# TYPE kansoku_http_requests_total counter\n"
            + "kansoku_http_requests_total{handler=\"/api/v1/query\"} 3\n"
            + "# HELP kansoku_query_duration_seconds Query latency.\n# TYPE kansoku_query_duration_seconds histogram\n"
            + "kansoku_query_duration_seconds_bucket{le=\"0.1\"} 1\n"
            + "kansoku_query_duration_seconds_bucket{le=\"+Inf\"} 1\n"
            + "kansoku_query_duration_seconds_sum 0.05\n"
            + "kansoku_query_duration_seconds_count 1\n",
            await response.Content.ReadAsStringAsync());
    }

    [PromtoolFact]
    public async Task Promtool_check_metrics_accepts_the_output()
    {
        var registry = new MetricRegistry();
        registry.CounterFamily("kansoku_samples_appended_total", "Samples appended, by \"source\".\nOne line.", "source")
            .WithLabels("scrape \"x\" \\ y").Inc();
        registry.Gauge("kansoku_head_series", "Series in the head.").Set(12);
        registry.Histogram("kansoku_scrape_duration_seconds", "Scrape latency.").Observe(0.3);
        await using var host = await ApiHost.StartAsync(new PrometheusApiOptions { Samples = new InMemorySamples() }, registry);
        var body = await host.Client.GetStringAsync("/metrics");

        var start = new System.Diagnostics.ProcessStartInfo(PromtoolFactAttribute.Path, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardInput.WriteAsync(body);
        process.StandardInput.Close();
        var errors = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors + "\n" + body);
    }
}
