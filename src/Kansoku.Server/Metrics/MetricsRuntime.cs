using Kansoku.Core.Exposition;
using Kansoku.Core.Labels;
using Kansoku.RemoteWrite.Sender;
using Kansoku.Scrape.Cluster;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.Http;
using Kansoku.Scrape.KubeState;
using Kansoku.Scrape.Operator;
using Kansoku.Scrape.Relabel;
using Kansoku.Scrape.Scraping;
using Kansoku.Server.Prometheus;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb;

namespace Kansoku.Server.Metrics;

/// <summary>
/// The metrics side of <c>kansoku server</c>: the TSDB, remote_write queues fed from every commit, the scrape manager
/// following discovery, and the views the Prometheus API serves from. The scrape jobs in force are the configuration
/// file's plus, with <see cref="MetricsRuntimeOptions.Cluster"/>, the built-in cluster jobs and those the cluster's
/// ServiceMonitors and PodMonitors generate (a job of the same name in the file wins). Started once; reloaded on request; disposed on shutdown.
/// </summary>
internal sealed class MetricsRuntime : IAsyncDisposable, IServerStatusView, IConfigReloader
{
    private readonly Tsdb.Tsdb _store;
    private readonly IReadOnlyList<RemoteWriteQueue> _queues;
    private readonly ScrapeManager _scrapes;
    private readonly DiscoveryManager _discovery;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private readonly MetricsRuntimeOptions _options;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _applying = new(1, 1);
    private readonly KubeStateEndpoint? _kubeState;
    // Guarded by _applying.
    private PrometheusConfig _fileConfig;
    private IReadOnlyList<ScrapeConfig> _monitorJobs = [];
    private CancellationTokenSource? _monitorWatch;
    private volatile string _configYaml;
    private volatile bool _reloadSucceeded = true;
    private long _lastConfigTicks;

    private MetricsRuntime(MetricsRuntimeOptions options, Tsdb.Tsdb store, ISampleAppendable appendable, IReadOnlyList<RemoteWriteQueue> queues,
        PrometheusConfig fileConfig, string configYaml, TimeProvider time, Action<string> log)
    {
        _options = options;
        _store = store;
        _queues = queues;
        _log = log;
        _fileConfig = fileConfig;
        _configYaml = configYaml;
        Appendable = appendable;
        _scrapes = new ScrapeManager(appendable, time, $"Kansoku/{BuildInfo.Version}");
        _discovery = new DiscoveryManager(scrapeConfig => Discoverers.For(scrapeConfig, message => log($"discovery: {message}")));
        _lastConfigTicks = DateTimeOffset.UtcNow.UtcTicks;
        _background.Add(_scrapes.FollowAsync(_discovery, _stop.Token));
        if (options.Cluster is { } cluster)
        {
            var kubeState = new KubeStateWatcher(cluster, new KubeStateCache(), message => log($"kube-state: {message}"));
            _kubeState = new KubeStateEndpoint(kubeState.Cache);
            _background.Add(kubeState.RunAsync(_stop.Token));
        }
    }

    /// <summary>
    /// (Re)starts the ServiceMonitor / PodMonitor watch with the file's global section, which gives the generated jobs
    /// their default interval and timeout. Called under <see cref="_applying"/>.
    /// </summary>
    private void WatchMonitors(ClusterAccess cluster)
    {
        _monitorWatch?.Cancel();
        _monitorWatch?.Dispose();
        _monitorWatch = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var watcher = new MonitorWatcher(new MonitorWatchConfig { KubeconfigFile = cluster.KubeconfigFile, LabelSelector = _options.MonitorSelector },
            _fileConfig.Global, jobs =>
            {
                _monitorJobs = jobs;
                _ = ApplyAsync();
            }, message => _log(message));
        _background.Add(watcher.RunAsync(_monitorWatch.Token));
    }

    /// <summary>Where scrapes and the remote write receiver append: the store, teed to every remote_write queue.</summary>
    public ISampleAppendable Appendable { get; }

    public ISampleQueryable Samples => _store;

    /// <summary>Loads the configuration (a <see cref="ConfigException"/> names file, line and key), opens the store, starts collecting.</summary>
    public static async Task<MetricsRuntime> StartAsync(MetricsRuntimeOptions options, TimeProvider time, Action<string> log)
    {
        var (config, configYaml) = await ReadConfigAsync(options).ConfigureAwait(false);
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
        var runtime = new MetricsRuntime(options, store, new RemoteWriteAppendable(store, queues), queues, config, configYaml, time, log);
        if (options.Cluster is { } cluster)
        {
            await runtime._applying.WaitAsync().ConfigureAwait(false);
            runtime.WatchMonitors(cluster);
            runtime._applying.Release();
        }
        await runtime.ApplyAsync().ConfigureAwait(false);
        return runtime;
    }

    private static async Task<(PrometheusConfig Config, string Yaml)> ReadConfigAsync(MetricsRuntimeOptions options)
    {
        if (options.ConfigFile is null)
        {
            return (new PrometheusConfig(), "");
        }
        var file = Path.GetFullPath(options.ConfigFile);
        var yaml = await File.ReadAllTextAsync(file).ConfigureAwait(false);
        return (PrometheusConfigLoader.Load(yaml, file, Path.GetDirectoryName(file)!), yaml);
    }

    /// <summary>
    /// Reads the configuration file again and applies its scrape jobs and global section; on an error the running
    /// configuration stays and the error is returned, as Prometheus' reload does. remote_write changes need a restart.
    /// </summary>
    public async Task<string?> ReloadAsync()
    {
        PrometheusConfig config;
        string yaml;
        try
        {
            (config, yaml) = await ReadConfigAsync(_options).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConfigException or IOException or UnauthorizedAccessException)
        {
            _reloadSucceeded = false;
            _log($"reload failed, keeping the running configuration: {e.Message}");
            return e.Message;
        }
        await _applying.WaitAsync().ConfigureAwait(false);
        try
        {
            if (config.RemoteWrite.Count != _fileConfig.RemoteWrite.Count || !config.RemoteWrite.SequenceEqual(_fileConfig.RemoteWrite))
            {
                _log("reload: remote_write changed; the running queues are kept until the server restarts");
            }
            var globalChanged = config.Global != _fileConfig.Global;
            _fileConfig = config;
            _configYaml = yaml;
            if (globalChanged && _options.Cluster is { } cluster)
            {
                WatchMonitors(cluster);
            }
        }
        finally
        {
            _applying.Release();
        }
        await ApplyAsync().ConfigureAwait(false);
        _reloadSucceeded = true;
        Interlocked.Exchange(ref _lastConfigTicks, DateTimeOffset.UtcNow.UtcTicks);
        _log($"reloaded {_options.ConfigFile}");
        return null;
    }

    /// <summary>The file's jobs and the cluster's, handed to the scrape manager and discovery together.</summary>
    private async Task ApplyAsync()
    {
        await _applying.WaitAsync().ConfigureAwait(false);
        try
        {
            var jobs = new List<ScrapeConfig>(_fileConfig.ScrapeConfigs);
            if (_options.Cluster is { } cluster)
            {
                AddUnlessNamed(jobs, ClusterJobs.Create(cluster, _fileConfig.Global, _kubeState!), "built-in");
                AddUnlessNamed(jobs, _monitorJobs, "monitor-generated");
            }
            var config = _fileConfig with { ScrapeConfigs = jobs };
            await _scrapes.ApplyConfigAsync(config).ConfigureAwait(false);
            _discovery.ApplyConfig(config.ScrapeConfigs);
        }
        finally
        {
            _applying.Release();
        }
    }

    private void AddUnlessNamed(List<ScrapeConfig> jobs, IReadOnlyList<ScrapeConfig> more, string origin)
    {
        foreach (var job in more)
        {
            if (jobs.Exists(j => j.JobName == job.JobName))
            {
                _log($"the configuration file's job {job.JobName} replaces the {origin} one");
                continue;
            }
            jobs.Add(job);
        }
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
            Reloader = this,
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
        long exceededTargetLimit = 0;
        foreach (var pool in _scrapes.Pools)
        {
            writer.WriteSample("prometheus_sd_discovered_targets", [new Label("config", pool.Name)], (long)pool.ActiveTargets.Count);
            exceededTargetLimit += pool.ExceededTargetLimitTotal;
        }
        // Pools are made anew on a reload, so this sum starts again then, as a counter reset.
        writer.WriteFamily("prometheus_target_scrape_pool_exceeded_target_limit_total",
            "Total number of times scrape pools hit the target limit, during sync or config reload.", MetricKind.Counter);
        writer.WriteSample("prometheus_target_scrape_pool_exceeded_target_limit_total", [], exceededTargetLimit);
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
        var queue = remote.Queue;
        return new RemoteWriteOptions
        {
            Url = remote.Url,
            Name = remote.Name.Length == 0 ? null : remote.Name,
            RemoteTimeout = remote.RemoteTimeout,
            Headers = remote.Headers,
            // TLS, proxy and credentials (re-read from their files per request) exactly as scrapes build them.
            CreateHttpHandler = () => ConfiguredHttpClient.CreateHandler(http),
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

    public bool ReloadConfigSuccess => _reloadSucceeded;

    public DateTimeOffset? LastConfigTime => new DateTimeOffset(Interlocked.Read(ref _lastConfigTicks), TimeSpan.Zero);

    public string StorageRetention => _options.RetentionBytes > 0
        ? $"{PrometheusDurationText(_options.Retention)} or {_options.RetentionBytes}B"
        : PrometheusDurationText(_options.Retention);

    public long CorruptionCount => _store.WalRepaired ? 1 : 0;

    public string ConfigYaml => _configYaml;

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
        await Task.WhenAll(_background).ConfigureAwait(false);
        await _discovery.DisposeAsync().ConfigureAwait(false);
        await _scrapes.DisposeAsync().ConfigureAwait(false);
        foreach (var queue in _queues)
        {
            await queue.DisposeAsync().ConfigureAwait(false);
        }
        await _store.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _applying.Dispose();
        _monitorWatch?.Dispose();
        _kubeState?.Dispose();
    }
}
