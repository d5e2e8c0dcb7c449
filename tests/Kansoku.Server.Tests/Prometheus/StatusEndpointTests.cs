using System.Net;
using Kansoku.Server.Prometheus;

namespace Kansoku.Server.Tests.Prometheus;

/// <summary>/api/v1/targets, /metadata and /status/*, served from the views the scrape manager and TSDB implement.</summary>
public sealed class StatusEndpointTests : IAsyncLifetime
{
    private readonly Views _views = new();
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync(new PrometheusApiOptions
    {
        Samples = new InMemorySamples(),
        Targets = _views,
        Metadata = _views,
        Tsdb = _views,
        Status = _views,
        StartTime = new DateTimeOffset(2026, 12, 4, 18, 0, 0, 123, TimeSpan.Zero),
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Targets_have_prometheus_target_json()
    {
        var (status, body) = await _host.GetAsync("/api/v1/targets?state=active");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """
            {"status":"success","data":{"activeTargets":[{"discoveredLabels":{"__address__":"k:10250"},"labels":{"job":"kubelet"},"scrapePool":"kubelet","scrapeUrl":"https://k:10250/metrics","globalUrl":"https://k:10250/metrics","lastError":"connection refused","lastScrape":"0001-01-01T00:00:00Z","lastScrapeDuration":0,"health":"unknown","scrapeInterval":"1m30s","scrapeTimeout":"10s"},{"discoveredLabels":{"__address__":"10.0.0.7:9100","__meta_kubernetes_pod_name":"node-exporter-x"},"labels":{"instance":"10.0.0.7:9100","job":"node"},"scrapePool":"node","scrapeUrl":"http://10.0.0.7:9100/metrics","globalUrl":"http://10.0.0.7:9100/metrics","lastError":"","lastScrape":"2026-12-04T18:30:15.5Z","lastScrapeDuration":0.025,"health":"up","scrapeInterval":"15s","scrapeTimeout":"10s"}],"droppedTargets":[],"droppedTargetCounts":{"kubelet":1,"node":2}}}
            """,
            body);
    }

    [Fact]
    public async Task Targets_are_ordered_by_pool_and_filtered_by_state_and_pool()
    {
        var any = await _host.DataAsync("/api/v1/targets");
        Assert.Equal(["kubelet", "node"], any.GetProperty("activeTargets").EnumerateArray().Select(t => t.GetProperty("scrapePool").GetString()));
        Assert.Equal(["kubelet", "node", "node"], any.GetProperty("droppedTargets").EnumerateArray().Select(t => t.GetProperty("scrapePool").GetString()));
        var dropped = await _host.DataAsync("/api/v1/targets?state=Dropped&scrapePool=node");
        Assert.Empty(dropped.GetProperty("activeTargets").EnumerateArray());
        Assert.Equal(["a", "b"], dropped.GetProperty("droppedTargets").EnumerateArray()
            .Select(t => t.GetProperty("discoveredLabels").GetProperty("__address__").GetString()));
    }

    [Fact]
    public async Task Metadata_groups_by_metric_without_duplicates_and_limits()
    {
        var (_, body) = await _host.GetAsync("/api/v1/metadata");
        Assert.Equal(
            """
            {"status":"success","data":{"go_goroutines":[{"type":"gauge","help":"Number of goroutines.","unit":""}],"http_requests_total":[{"type":"counter","help":"Requests.","unit":""},{"type":"counter","help":"All requests.","unit":""}],"node_cpu_seconds":[{"type":"counter","help":"CPU time.","unit":"seconds"}]}}
            """,
            body);
        Assert.Equal(["go_goroutines"], (await _host.DataAsync("/api/v1/metadata?limit=1")).EnumerateObject().Select(p => p.Name));
        Assert.Single((await _host.DataAsync("/api/v1/metadata?limit_per_metric=1")).GetProperty("http_requests_total").EnumerateArray());
        Assert.Equal(["node_cpu_seconds"], (await _host.DataAsync("/api/v1/metadata?metric=node_cpu_seconds")).EnumerateObject().Select(p => p.Name));
        Assert.Equal(("bad_data", "limit must be a number"), await _host.ErrorAsync("/api/v1/metadata?limit=x", HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Tsdb_status_passes_the_limit_and_checks_it()
    {
        var (_, body) = await _host.GetAsync("/api/v1/status/tsdb?limit=2");
        Assert.Equal(
            """
            {"status":"success","data":{"headStats":{"numSeries":3,"numLabelPairs":7,"chunkCount":5,"minTime":1700000000000,"maxTime":1700000600000},"seriesCountByMetricName":[{"name":"up","value":2}],"labelValueCountByLabelName":[{"name":"instance","value":2}],"memoryInBytesByLabelName":[{"name":"instance","value":40}],"seriesCountByLabelValuePair":[{"name":"job=node","value":2}]}}
            """,
            body);
        Assert.Equal(2, _views.LastTsdbLimit);
        await _host.GetAsync("/api/v1/status/tsdb");
        Assert.Equal(10, _views.LastTsdbLimit);
        Assert.Equal(("bad_data", "limit must be a positive number"), await _host.ErrorAsync("/api/v1/status/tsdb?limit=0", HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Tsdb_status_without_a_tsdb_is_unavailable()
    {
        await using var bare = await ApiHost.StartAsync(new PrometheusApiOptions { Samples = new InMemorySamples() });
        var (type, _) = await bare.ErrorAsync("/api/v1/status/tsdb", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("unavailable", type);
        var targets = await bare.DataAsync("/api/v1/targets");
        Assert.Empty(targets.GetProperty("activeTargets").EnumerateArray());
        Assert.Empty(targets.GetProperty("droppedTargets").EnumerateArray());
        Assert.Empty((await bare.DataAsync("/api/v1/metadata")).EnumerateObject());
    }

    [Fact]
    public async Task Build_runtime_flags_and_config()
    {
        var build = await _host.DataAsync("/api/v1/status/buildinfo");
        Assert.Equal(["version", "revision", "branch", "buildUser", "buildDate", "goVersion"], build.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrEmpty(build.GetProperty("version").GetString()));

        var runtime = await _host.DataAsync("/api/v1/status/runtimeinfo");
        Assert.Equal("2026-12-04T18:00:00.123Z", runtime.GetProperty("startTime").GetString());
        Assert.Equal("2026-12-04T17:59:00Z", runtime.GetProperty("lastConfigTime").GetString());
        Assert.True(runtime.GetProperty("reloadConfigSuccess").GetBoolean());
        Assert.Equal("15d", runtime.GetProperty("storageRetention").GetString());
        Assert.Equal(1, runtime.GetProperty("corruptionCount").GetInt64());
        Assert.Equal(Environment.ProcessorCount, runtime.GetProperty("GOMAXPROCS").GetInt32());
        Assert.Equal(Environment.CurrentDirectory, runtime.GetProperty("CWD").GetString());

        var (_, flags) = await _host.GetAsync("/api/v1/status/flags");
        Assert.Equal("""{"status":"success","data":{"config.file":"/etc/kansoku.yml","storage.tsdb.retention.time":"15d"}}""", flags);
        var config = await _host.DataAsync("/api/v1/status/config");
        Assert.Equal("global:\n  scrape_interval: 15s\n", config.GetProperty("yaml").GetString());
    }

    /// <summary>The four views, with fixed content, as the scrape manager and TSDB will provide them.</summary>
    private sealed class Views : IScrapeTargetsView, IMetricMetadataView, ITsdbStatusView, IServerStatusView
    {
        public int LastTsdbLimit { get; private set; }

        public IReadOnlyList<ActiveScrapeTarget> ActiveTargets() =>
        [
            new([new("__meta_kubernetes_pod_name", "node-exporter-x"), new("__address__", "10.0.0.7:9100")],
                [new("job", "node"), new("instance", "10.0.0.7:9100")], "node", "http://10.0.0.7:9100/metrics",
                "http://10.0.0.7:9100/metrics", "", new DateTimeOffset(2026, 12, 4, 18, 30, 15, 500, TimeSpan.Zero),
                TimeSpan.FromMilliseconds(25), TargetHealth.Up, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10)),
            new([new("__address__", "k:10250")], [new("job", "kubelet")], "kubelet", "https://k:10250/metrics",
                "https://k:10250/metrics", "connection refused", null, TimeSpan.Zero, TargetHealth.Unknown,
                TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(10)),
        ];

        public IReadOnlyList<DroppedScrapeTarget> DroppedTargets() =>
        [
            new([new("__address__", "a")], "node"),
            new([new("__address__", "k")], "kubelet"),
            new([new("__address__", "b")], "node"),
        ];

        public IReadOnlyList<MetricMetadata> Metadata(string? metric)
        {
            MetricMetadata[] all =
            [
                new("http_requests_total", "counter", "Requests.", ""),
                new("node_cpu_seconds", "counter", "CPU time.", "seconds"),
                new("go_goroutines", "gauge", "Number of goroutines.", ""),
                new("http_requests_total", "counter", "Requests.", ""),
                new("http_requests_total", "counter", "All requests.", ""),
            ];
            return metric is null ? all : [.. all.Where(m => m.Metric == metric)];
        }

        public TsdbStatus Status(int limit)
        {
            LastTsdbLimit = limit;
            return new TsdbStatus(new TsdbHeadStats(3, 7, 5, 1_700_000_000_000, 1_700_000_600_000),
                [new("up", 2)], [new("instance", 2)], [new("instance", 40)], [new("job=node", 2)]);
        }

        public bool ReloadConfigSuccess => true;

        public DateTimeOffset? LastConfigTime => new DateTimeOffset(2026, 12, 4, 17, 59, 0, TimeSpan.Zero);

        public string StorageRetention => "15d";

        public long CorruptionCount => 1;

        public string ConfigYaml => "global:\n  scrape_interval: 15s\n";

        public IReadOnlyDictionary<string, string> Flags { get; } = new Dictionary<string, string>
        {
            ["storage.tsdb.retention.time"] = "15d",
            ["config.file"] = "/etc/kansoku.yml",
        };
    }
}
