using System.Globalization;
using System.Text.Json;
using Kansoku.Core.Labels;
using Kansoku.RemoteWrite.Sender;
using Kansoku.Testing;
using Kansoku.Testing.Peers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kansoku.RemoteWrite.Tests.Prometheus;

/// <summary>Remote write 1.0 against the real peer: Debian's Prometheus 2.42 as sender and as receiver.</summary>
public sealed class PrometheusPeerTests
{
    private const string TargetMetrics =
        "# HELP kansoku_test_requests_total Requests served.\n" +
        "# TYPE kansoku_test_requests_total counter\n" +
        "kansoku_test_requests_total{path=\"/a\"} 42\n" +
        "kansoku_test_requests_total{path=\"/b\"} 7\n" +
        "# TYPE kansoku_test_temperature gauge\n" +
        "kansoku_test_temperature -3.5\n";

    [PrometheusFact]
    public async Task Prometheus_remote_writes_what_it_scrapes_to_the_receiver()
    {
        var store = new RecordingAppendable();
        await using var receiver = await WebHost.StartReceiverAsync(store);
        await using var target = await WebHost.StartAsync(app => app.MapGet("/metrics", context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4";
            return context.Response.WriteAsync(TargetMetrics);
        }));
        var instance = $"127.0.0.1:{target.Address.Port}";
        var config = $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: kansoku-target
                static_configs:
                  - targets: ['{instance}']
            remote_write:
              - url: {new Uri(receiver.Address, "/api/v1/write")}
                queue_config:
                  batch_send_deadline: 500ms
                  min_backoff: 50ms
                  max_backoff: 1s
            """;
        using var prometheus = await PrometheusServer.StartAsync(config);

        var a = LabelSet.From(("__name__", "kansoku_test_requests_total"), ("instance", instance), ("job", "kansoku-target"), ("path", "/a"));
        var temperature = LabelSet.From(("__name__", "kansoku_test_temperature"), ("instance", instance), ("job", "kansoku-target"));
        var up = LabelSet.From(("__name__", "up"), ("instance", instance), ("job", "kansoku-target"));
        await Eventually.WaitUntilAsync(() => store.Samples(a).Count >= 2 && store.Samples(up).Count >= 2 && store.Samples(temperature).Count >= 1,
            timeoutMs: 90_000, describe: () => $"received series: {string.Join(' ', store.Series())}\nprometheus:\n{prometheus.Output}");

        Assert.All(store.Samples(a), s => Assert.Equal(42, s.Value));
        Assert.All(store.Samples(temperature), s => Assert.Equal(-3.5, s.Value));
        Assert.All(store.Samples(up), s => Assert.Equal(1, s.Value));
        var timestamps = store.Samples(up).Select(s => s.TimestampMs).ToList();
        Assert.Equal(timestamps.Order(), timestamps);
        Assert.InRange(timestamps[^1], DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [PrometheusFact]
    public async Task The_sender_writes_to_prometheus_and_promtool_reads_the_samples_back()
    {
        using var prometheus = await PrometheusServer.StartAsync("global:\n  scrape_interval: 15s\n", ["--web.enable-remote-write-receiver"]);
        await using var queue = new RemoteWriteQueue(new RemoteWriteOptions
        {
            Url = new Uri(prometheus.Address, "/api/v1/write"),
            ExternalLabels = LabelSet.From(("cluster", "kansoku-test")),
            Queue = new RemoteWriteQueueOptions { BatchSendDeadline = TimeSpan.FromMilliseconds(100), MaxSamplesPerSend = 4 },
        });
        queue.Start();
        var store = new RecordingAppendable();
        var tee = new RemoteWriteAppendable(store, [queue]);
        var series = LabelSet.From(("__name__", "kansoku_rw_test"), ("job", "sender"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sent = Enumerable.Range(0, 6).Select(i => (TimestampMs: now - ((5 - i) * 10_000L), Value: (i * 1.5) - 2)).ToList();
        foreach (var (timestamp, value) in sent)
        {
            var appender = tee.Appender();
            appender.Append(0, series, timestamp, value);
            appender.Commit();
        }

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == sent.Count, timeoutMs: 30_000,
            describe: () => $"sent {queue.SamplesSent}, failed {queue.SamplesFailed}, last error {queue.LastError}\n{prometheus.Output}");

        var instant = await PrometheusServer.PromtoolAsync("query", "instant", prometheus.Address.ToString(), "kansoku_rw_test");
        Assert.Contains("kansoku_rw_test{cluster=\"kansoku-test\", job=\"sender\"} => 5.5 @[", instant, StringComparison.Ordinal);

        // Every sample, exactly: a range selector over the HTTP API returns the raw samples.
        using var client = new HttpClient { BaseAddress = prometheus.Address };
        var at = ((now / 1000.0) + 1).ToString(CultureInfo.InvariantCulture);
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/query?query=kansoku_rw_test%5B2m%5D&time={at}"));
        var result = Assert.Single(json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToList());
        Assert.Equal("kansoku-test", result.GetProperty("metric").GetProperty("cluster").GetString());
        var values = result.GetProperty("values").EnumerateArray()
            .Select(v => ((long)Math.Round(v[0].GetDouble() * 1000), double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(sent, values);
    }
}
