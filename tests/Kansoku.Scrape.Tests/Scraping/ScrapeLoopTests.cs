using Kansoku.Core.Labels;
using Kansoku.Scrape.Scraping;
using Kansoku.Scrape.TextParse;
using Kansoku.Storage.Metrics;

namespace Kansoku.Scrape.Tests.Scraping;

public sealed class ScrapeLoopTests : IAsyncLifetime
{
    private readonly MetricsEndpoint _endpoint = new();
    private readonly RecordingStore _store = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.GZip });
    private static readonly LabelSet TargetLabels = LabelSet.From(("job", "node"), ("instance", "host:9100"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _endpoint.DisposeAsync();
    }

    private ScrapeLoop Loop(ScrapeSettings? settings = null) =>
        new(new ActiveTarget("node", TargetLabels, LabelSet.Empty, _endpoint.Url, settings ?? new ScrapeSettings { Timeout = TimeSpan.FromSeconds(5) }),
            _http, _store, TimeProvider.System, offsetSeed: 0);

    private static LabelSet Series(string name, params (string, string)[] labels) =>
        LabelSet.From([("job", "node"), ("instance", "host:9100"), ("__name__", name), .. labels]);

    private double Report(string name) => _store.Last(Series(name));

    [Fact]
    public async Task A_scrape_stores_the_samples_with_the_target_labels_and_reports_itself()
    {
        _endpoint.Body = "# TYPE http_requests_total counter\n# HELP http_requests_total Requests.\nhttp_requests_total{code=\"200\"} 7\nhttp_requests_total{code=\"500\"} 2\ntemperature 21.5\n";
        await using var loop = Loop();

        await loop.ScrapeOnceAsync(CancellationToken.None);

        Assert.Equal(7, _store.Last(Series("http_requests_total", ("code", "200"))));
        Assert.Equal(2, _store.Last(Series("http_requests_total", ("code", "500"))));
        Assert.Equal(21.5, _store.Last(Series("temperature")));
        Assert.Equal(1, Report("up"));
        Assert.Equal(3, Report("scrape_samples_scraped"));
        Assert.Equal(3, Report("scrape_samples_post_metric_relabeling"));
        Assert.Equal(3, Report("scrape_series_added"));
        Assert.InRange(Report("scrape_duration_seconds"), 0, 5);
        Assert.Equal(ExpositionFormats.AcceptHeader, _endpoint.LastAccept);
        Assert.Equal("5", _endpoint.LastTimeoutHeader);
        var status = loop.Target.Status;
        Assert.Equal(TargetHealth.Up, status.Health);
        Assert.Equal("", status.LastError);
        var metadata = Assert.Single(loop.Target.Metadata);
        Assert.Equal(new MetricMetadata("http_requests_total", MetricType.Counter, "Requests.", ""), metadata);

        await loop.ScrapeOnceAsync(CancellationToken.None);
        Assert.Equal(0, Report("scrape_series_added"));
        Assert.Equal(2, _store.Samples(Series("temperature")).Count);
    }

    [Fact]
    public async Task Exposed_labels_that_clash_with_target_labels_become_exported_unless_honored()
    {
        _endpoint.Body = "pushed{job=\"batch\",exported_job=\"older\",instance=\"\"} 1\n";
        await using (var loop = Loop())
        {
            await loop.ScrapeOnceAsync(CancellationToken.None);
        }
        var series = Assert.Single(_store.SeriesNamed("pushed"));
        Assert.Equal("node", series.Get("job"));
        Assert.Equal("older", series.Get("exported_job"));
        Assert.Equal("batch", series.Get("exported_exported_job"));
        Assert.Equal("host:9100", series.Get("instance"));

        var honoring = new RecordingStore();
        _endpoint.Body = "pushed{job=\"batch\"} 1\n";
        await using var honored = new ScrapeLoop(
            new ActiveTarget("node", TargetLabels, LabelSet.Empty, _endpoint.Url, new ScrapeSettings { HonorLabels = true }),
            _http, honoring, TimeProvider.System, 0);
        await honored.ScrapeOnceAsync(CancellationToken.None);
        var kept = Assert.Single(honoring.SeriesNamed("pushed"));
        Assert.Equal("batch", kept.Get("job"));
        Assert.Equal("host:9100", kept.Get("instance"));
    }

    [Fact]
    public async Task A_series_that_disappears_gets_a_staleness_marker_at_the_next_scrape()
    {
        _endpoint.Body = "a 1\nb 2\n";
        await using var loop = Loop();
        await loop.ScrapeOnceAsync(CancellationToken.None);
        _endpoint.Body = "a 1\n";
        await loop.ScrapeOnceAsync(CancellationToken.None);

        var b = _store.Samples(Series("b"));
        Assert.Equal(2, b.Count);
        Assert.True(StaleMarker.Is(b[1].V));
        Assert.Equal(_store.Samples(Series("a"))[1].T, b[1].T);
        Assert.False(StaleMarker.Is(_store.Last(Series("a"))));
    }

    [Fact]
    public async Task A_failed_scrape_reports_down_and_marks_every_series_stale()
    {
        _endpoint.Body = "a 1\nb 2\n";
        await using var loop = Loop();
        await loop.ScrapeOnceAsync(CancellationToken.None);
        _endpoint.Status = 500;
        await loop.ScrapeOnceAsync(CancellationToken.None);

        Assert.Equal(0, Report("up"));
        Assert.True(StaleMarker.Is(_store.Last(Series("a"))));
        Assert.True(StaleMarker.Is(_store.Last(Series("b"))));
        Assert.Equal(TargetHealth.Down, loop.Target.Status.Health);
        Assert.Contains("500", loop.Target.Status.LastError, StringComparison.Ordinal);

        _endpoint.Status = 200;
        await loop.ScrapeOnceAsync(CancellationToken.None);
        Assert.Equal(1, Report("up"));
        Assert.Equal(1, _store.Last(Series("a")));
    }

    [Fact]
    public async Task A_malformed_body_fails_the_scrape_and_stores_none_of_it()
    {
        _endpoint.Body = "good 1\nbad{ 2\n";
        await using var loop = Loop();
        await loop.ScrapeOnceAsync(CancellationToken.None);

        Assert.Empty(_store.SeriesNamed("good"));
        Assert.Equal(0, Report("up"));
        Assert.Contains("line 2", loop.Target.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_samples_than_the_limit_fail_the_whole_scrape()
    {
        _endpoint.Body = "a 1\nb 2\nc 3\n";
        await using var loop = Loop(new ScrapeSettings { SampleLimit = 2 });
        await loop.ScrapeOnceAsync(CancellationToken.None);

        Assert.Empty(_store.SeriesNamed("a"));
        Assert.Equal(0, Report("up"));
        Assert.Contains("sample limit", loop.Target.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Label_limits_fail_the_scrape()
    {
        _endpoint.Body = "a{x=\"1\",y=\"2\"} 1\n";
        await using (var loop = Loop(new ScrapeSettings { LabelLimit = 4 }))
        {
            await loop.ScrapeOnceAsync(CancellationToken.None);
            Assert.Contains("label_limit", loop.Target.Status.LastError, StringComparison.Ordinal);
        }
        await using (var loop = Loop(new ScrapeSettings { LabelValueLengthLimit = 4 }))
        {
            await loop.ScrapeOnceAsync(CancellationToken.None);
            Assert.Contains("label_value_length_limit", loop.Target.Status.LastError, StringComparison.Ordinal);
        }
        Assert.Empty(_store.SeriesNamed("a"));
    }

    [Fact]
    public async Task Metric_relabelling_drops_series_before_they_are_counted_as_stored()
    {
        _endpoint.Body = "keep_me 1\ndrop_me 2\n";
        await using var loop = Loop(new ScrapeSettings
        {
            MetricRelabel = labels => labels.Get("__name__").StartsWith("drop", StringComparison.Ordinal) ? null : labels.With("env", "prod"),
        });
        await loop.ScrapeOnceAsync(CancellationToken.None);
        await loop.ScrapeOnceAsync(CancellationToken.None);

        Assert.Empty(_store.SeriesNamed("drop_me"));
        Assert.Equal("prod", Assert.Single(_store.SeriesNamed("keep_me")).Get("env"));
        Assert.Equal(2, Report("scrape_samples_scraped"));
        Assert.Equal(1, Report("scrape_samples_post_metric_relabeling"));
    }

    [Fact]
    public async Task Exposed_timestamps_are_kept_unless_the_config_says_otherwise()
    {
        _endpoint.Body = "with_time 1 1700000000123\n";
        await using (var loop = Loop())
        {
            await loop.ScrapeOnceAsync(CancellationToken.None);
        }
        Assert.Equal(1700000000123, _store.Samples(Series("with_time"))[0].T);

        var ignoring = new RecordingStore();
        await using var ignoringLoop = new ScrapeLoop(
            new ActiveTarget("node", TargetLabels, LabelSet.Empty, _endpoint.Url, new ScrapeSettings { HonorTimestamps = false }),
            _http, ignoring, TimeProvider.System, 0);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await ignoringLoop.ScrapeOnceAsync(CancellationToken.None);
        Assert.InRange(ignoring.Samples(Series("with_time"))[0].T, before, before + 10_000);
    }

    [Fact]
    public async Task Gzip_bodies_and_OpenMetrics_are_read()
    {
        _endpoint.Gzip = true;
        _endpoint.ContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";
        _endpoint.Body = "# TYPE job_seconds counter\n# UNIT job_seconds seconds\njob_seconds_total 5 1700000000.5\n# EOF\n";
        await using var loop = Loop();
        await loop.ScrapeOnceAsync(CancellationToken.None);

        Assert.Equal("", loop.Target.Status.LastError);
        Assert.Equal((1700000000500L, 5.0), _store.Samples(Series("job_seconds_total"))[0]);
        Assert.Equal("seconds", Assert.Single(loop.Target.Metadata).Unit);
    }

    [Fact]
    public async Task A_slow_target_times_out()
    {
        _endpoint.Body = "a 1\n";
        _endpoint.Delay = TimeSpan.FromSeconds(3);
        await using var loop = Loop(new ScrapeSettings { Timeout = TimeSpan.FromMilliseconds(200) });
        await loop.ScrapeOnceAsync(CancellationToken.None);

        Assert.Equal(0, Report("up"));
        Assert.Contains("timed out", loop.Target.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_timestamps_within_the_tolerance_of_the_interval_are_aligned_to_it()
    {
        _endpoint.Body = "a 1\n";
        await using var loop = Loop(new ScrapeSettings { Interval = TimeSpan.FromSeconds(15) });
        Assert.Equal(1_700_000_000_003, loop.ScrapeTimestamp(1_700_000_000_003));
        await loop.ScrapeOnceAsync(CancellationToken.None);
        var first = _store.Samples(Series("a"))[0].T;

        Assert.Equal(first + 15_000, loop.ScrapeTimestamp(first + 15_000 + ScrapeLoop.TimestampToleranceMs));
        Assert.Equal(first + 15_000, loop.ScrapeTimestamp(first + 15_000 - 3));
        Assert.Equal(first + 15_100, loop.ScrapeTimestamp(first + 15_100));
        Assert.Equal(first + 1, loop.ScrapeTimestamp(first - 50));
    }

    [Fact]
    public void Targets_are_spread_over_the_interval()
    {
        var settings = new ScrapeSettings { Interval = TimeSpan.FromSeconds(15) };
        var delays = new HashSet<long>();
        for (var i = 0; i < 20; i++)
        {
            var target = new ActiveTarget("node", LabelSet.From(("instance", $"host-{i}:9100")), LabelSet.Empty, _endpoint.Url, settings);
            var loop = new ScrapeLoop(target, _http, _store, TimeProvider.System, 0);
            var delay = loop.InitialDelay();
            Assert.InRange(delay, TimeSpan.Zero, settings.Interval);
            delays.Add(delay.Ticks / TimeSpan.TicksPerSecond);
        }
        Assert.True(delays.Count >= 5, $"20 targets fell on only {delays.Count} distinct seconds of the interval");
    }
}
