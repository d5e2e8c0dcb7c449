using Kansoku.Core.Exposition;
using Kansoku.Core.Labels;
using Kansoku.RemoteWrite.Sender;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.Relabel;
using Kansoku.Scrape.Scraping;
using Kansoku.Server.Prometheus;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb;

namespace Kansoku.Server.Metrics;

/// <summary>
/// The metrics side of <c>kansoku server</c>: the TSDB, remote_write queues fed from every commit, the scrape manager
/// following discovery, and the views the Prometheus API serves from. Started once; disposed on shutdown.
/// </summary>
internal sealed class MetricsRuntime : IAsyncDisposable, IServerStatusView
{
    private readonly Tsdb.Tsdb _store;
    private readonly IReadOnlyList<RemoteWriteQueue> _queues;
    private readonly ScrapeManager _scrapes;
    private readonly DiscoveryManager _discovery;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _following;
    private readonly MetricsRuntimeOptions _options;

    private MetricsRuntime(MetricsRuntimeOptions options, Tsdb.Tsdb store, ISampleAppendable appendable, IReadOnlyList<RemoteWriteQueue> queues,
        ScrapeManager scrapes, DiscoveryManager discovery, string configYaml)
    {
        _options = options;
        _store = store;
        _queues = queues;
        _scrapes = scrapes;
        _discovery = discovery;
        Appendable = appendable;
        ConfigYaml = configYaml;
        LastConfigTime = DateTimeOffset.UtcNow;
        _following = scrapes.FollowAsync(discovery, _stop.Token);
    }

    /// <summary>Where scrapes and the remote write receiver append: the store, teed to every remote_write queue.</summary>
    public ISampleAppendable Appendable { get; }

    public ISampleQueryable Samples => _store;

    /// <summary>Loads the configuration (a <see cref="ConfigException"/> names file, line and key), opens the store, starts collecting.</summary>
    public static async Task<MetricsRuntime> StartAsync(MetricsRuntimeOptions options, TimeProvider time, Action<string> log)
    {
        var configFile = options.ConfigFile is null ? null : Path.GetFullPath(options.ConfigFile);
        var configYaml = configFile is null ? "" : await File.ReadAllTextAsync(configFile).ConfigureAwait(false);
        var config = configFile is null ? new PrometheusConfig() : PrometheusConfigLoader.Load(configYaml, configFile, Path.GetDirectoryName(configFile)!);
        var store = Tsdb.Tsdb.Open(new TsdbOptions
        {
            DataDirectory = options.DataDirectory,
            RetentionTime = options.Retention,
            RetentionBytes = options.RetentionBytes,
        }, time);
        var queues = new List<RemoteWriteQueue>();
        foreach (var remote in config.RemoteWrite)
        {
            var queue = new RemoteWriteQueue(RemoteWriteOptionsOf(remote, config.Global.ExternalLabels), time);
            queue.Start();
            queues.Add(queue);
        }
        var appendable = new RemoteWriteAppendable(store, queues);
        var scrapes = new ScrapeManager(appendable, time, $"Kansoku/{BuildInfo.Version}");
        var discovery = new DiscoveryManager(scrapeConfig => Discoverers.For(scrapeConfig, message => log($"discovery: {message}")));
        await scrapes.ApplyConfigAsync(config).ConfigureAwait(false);
        discovery.ApplyConfig(config.ScrapeConfigs);
        return new MetricsRuntime(options, store, appendable, queues, scrapes, discovery, configYaml);
    }

    public PrometheusApiOptions ApiOptions(TimeProvider time)
    {
        var views = new ScrapeViews(_scrapes);
        return new PrometheusApiOptions
        {
            Samples = _store,
            Time = time,
            Targets = views,
            Metadata = views,
            Status = this,
            Tsdb = new TsdbStatusView(_store),
        };
    }

    /// <summary>Adds the remote write queues' and scrape pools' counters to Kansoku's own /metrics, under Prometheus' names.</summary>
    public void Register(MetricRegistry registry) => registry.AddCollector(WriteMetrics);

    private void WriteMetrics(ExpositionWriter writer)
    {
        if (_queues.Count > 0)
        {
            QueueFamily(writer, "prometheus_remote_storage_samples_total", "Samples sent to remote storage.", MetricKind.Counter, q => q.SamplesSent);
            QueueFamily(writer, "prometheus_remote_storage_samples_failed_total", "Samples that failed to be sent and were not retried.", MetricKind.Counter, q => q.SamplesFailed);
            QueueFamily(writer, "prometheus_remote_storage_samples_retried_total", "Samples that failed to be sent and were retried.", MetricKind.Counter, q => q.SamplesRetried);
            QueueFamily(writer, "prometheus_remote_storage_samples_dropped_total", "Samples dropped because a queue was full.", MetricKind.Counter, q => q.SamplesDropped);
            QueueFamily(writer, "prometheus_remote_storage_samples_pending", "Samples waiting in the queue's shards.", MetricKind.Gauge, q => q.PendingSamples);
            QueueFamily(writer, "prometheus_remote_storage_shards", "Shards sending in parallel.", MetricKind.Gauge, q => q.Shards);
        }
        writer.WriteFamily("prometheus_sd_discovered_targets", "Targets being scraped, per scrape pool.", MetricKind.Gauge);
        foreach (var pool in _scrapes.Pools)
        {
            writer.WriteSample("prometheus_sd_discovered_targets", [new Label("config", pool.Name)], (long)pool.ActiveTargets.Count);
        }
    }

    private void QueueFamily(ExpositionWriter writer, string name, string help, MetricKind kind, Func<RemoteWriteQueue, long> value)
    {
        writer.WriteFamily(name, help, kind);
        foreach (var queue in _queues)
        {
            writer.WriteSample(name, [new Label("remote_name", queue.Name), new Label("url", queue.Name)], value(queue));
        }
    }

    internal static RemoteWriteOptions RemoteWriteOptionsOf(RemoteWriteConfig remote, LabelSet externalLabels)
    {
        var relabel = remote.WriteRelabelConfigs;
        var http = remote.Http;
        BasicAuthCredentials? basic = http.BasicAuth is { } auth
            ? new BasicAuthCredentials(auth.Username, auth.ReadPassword())
            : null;
        var bearer = http.Authorization is { Type: "Bearer" } authorization
            ? authorization.ReadCredentials()
            : null;
        var queue = remote.Queue;
        return new RemoteWriteOptions
        {
            Url = remote.Url,
            Name = remote.Name.Length == 0 ? null : remote.Name,
            RemoteTimeout = remote.RemoteTimeout,
            Headers = remote.Headers,
            BasicAuth = basic,
            BearerToken = bearer,
            ExternalLabels = externalLabels,
            WriteRelabel = relabel.Count == 0 ? null : labels => Relabeler.Process(labels, relabel),
            RetryOnRateLimit = queue.RetryOnHttp429,
            Queue = new RemoteWriteQueueOptions
            {
                Capacity = queue.Capacity,
                MinShards = queue.MinShards,
                MaxShards = queue.MaxShards,
                MaxSamplesPerSend = queue.MaxSamplesPerSend,
                BatchSendDeadline = queue.BatchSendDeadline,
                MinBackoff = queue.MinBackoff,
                MaxBackoff = queue.MaxBackoff,
            },
        };
    }

    public bool ReloadConfigSuccess => true;

    public DateTimeOffset? LastConfigTime { get; }

    public string StorageRetention => _options.RetentionBytes > 0
        ? $"{PrometheusDurationText(_options.Retention)} or {_options.RetentionBytes}B"
        : PrometheusDurationText(_options.Retention);

    public long CorruptionCount => _store.WalRepaired ? 1 : 0;

    public string ConfigYaml { get; }

    public IReadOnlyDictionary<string, string> Flags => new Dictionary<string, string>
    {
        ["storage.tsdb.path"] = _options.DataDirectory,
        ["storage.tsdb.retention.time"] = PrometheusDurationText(_options.Retention),
        ["storage.tsdb.retention.size"] = _options.RetentionBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) + "B",
        ["config.file"] = _options.ConfigFile ?? "",
    };

    private static string PrometheusDurationText(TimeSpan span) =>
        span.TotalDays == Math.Floor(span.TotalDays) ? $"{(long)span.TotalDays}d" : $"{(long)span.TotalHours}h";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _following.ConfigureAwait(false);
        await _discovery.DisposeAsync().ConfigureAwait(false);
        await _scrapes.DisposeAsync().ConfigureAwait(false);
        foreach (var queue in _queues)
        {
            await queue.DisposeAsync().ConfigureAwait(false);
        }
        await _store.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
