using k8s;
using Kansoku.Kubernetes;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery.Kubernetes;

namespace Kansoku.Scrape.Operator;

/// <summary>
/// Lists and watches ServiceMonitors and PodMonitors in every namespace and hands the server the complete list of
/// jobs they generate: after each kind's list and after every change. The two kinds are watched independently, so
/// a cluster with only one of the CRDs still gets that one's jobs; a missing CRD (404) is retried with the watch's
/// backoff, logged once per attempt. A monitor that cannot be read or that the operator would reject is left out,
/// with a log line naming it and the field.
/// </summary>
internal sealed class MonitorWatcher
{
    private const string ApiGroupPath = "apis/monitoring.coreos.com/v1/";

    private readonly MonitorWatchConfig _config;
    private readonly GlobalConfig _global;
    private readonly Action<IReadOnlyList<ScrapeConfig>> _onChange;
    private readonly Action<string> _log;
    private readonly KubernetesWatchSettings _settings;
    private readonly Lock _lock = new();
    // Guarded by _lock: per monitor (kind/namespace/name), the jobs it generates and the generation they came from.
    private readonly SortedDictionary<string, IReadOnlyList<ScrapeConfig>> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long?> _generations = new(StringComparer.Ordinal);

    /// <param name="onChange">Called with every job of every monitor, in a stable order, never concurrently.</param>
    public MonitorWatcher(MonitorWatchConfig config, GlobalConfig global, Action<IReadOnlyList<ScrapeConfig>> onChange, Action<string> log,
        KubernetesWatchSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(onChange);
        ArgumentNullException.ThrowIfNull(log);
        _config = config;
        _global = global;
        _onChange = onChange;
        _log = log;
        _settings = settings ?? new KubernetesWatchSettings();
    }

    public KubernetesApiStats Stats { get; } = new();

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then returns without throwing.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        KubernetesClientConfiguration clientConfiguration;
        try
        {
            clientConfiguration = KubernetesDiscoverer.ClientConfiguration(_config.Discovery(KubernetesRole.Pod, [], false));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log($"operator: cannot set up API access for ServiceMonitors and PodMonitors: {e.Message}");
            return;
        }
        using var client = new k8s.Kubernetes(clientConfiguration);
        var api = new KubernetesWatchClient(client, clientConfiguration);
        try
        {
            await Task.WhenAll(
                Watch(MonitorKind.ServiceMonitor, "servicemonitors", api, cancellationToken),
                Watch(MonitorKind.PodMonitor, "podmonitors", api, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A watch stopped during its backoff delay: stopping is the caller's doing, not a failure.
        }
    }

    private Task Watch(MonitorKind kind, string resource, KubernetesWatchClient api, CancellationToken cancellationToken)
    {
        var path = ApiGroupPath + resource;
        var watch = new ResourceWatch<MonitorResource, MonitorResourceList>(resource,
            async ct =>
            {
                using var list = await api.ListJsonAsync(path, _config.LabelSelector, ct);
                return MonitorJson.ReadList(list, kind);
            },
            (version, timeout, onError, ct) => api.WatchAsync(path, null, version, timeout, onError, ct, _config.LabelSelector,
                item => MonitorJson.Read(item, kind)),
            items =>
            {
                lock (_lock)
                {
                    var prefix = kind + "/";
                    foreach (var key in _generations.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                    {
                        Remove(key);
                    }
                    foreach (var monitor in items)
                    {
                        Update(monitor);
                    }
                    Publish();
                }
                return true;
            },
            (type, monitor) =>
            {
                Stats.AddEvent();
                lock (_lock)
                {
                    if (type == WatchEventType.Deleted)
                    {
                        Remove(Key(monitor));
                    }
                    else if (!Update(monitor))
                    {
                        return;
                    }
                    Publish();
                }
            },
            new WatchLog(_log), Stats, _settings);
        return watch.RunAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces the monitor's jobs; one the operator would reject has none. Returns false when the spec is the one
    /// already seen: metadata.generation moves only with the spec, and a label or annotation edit should not restart
    /// scrapes. Call under _lock.
    /// </summary>
    private bool Update(MonitorResource monitor)
    {
        var key = Key(monitor);
        var generation = monitor.Metadata.Generation;
        if (generation is not null && _generations.TryGetValue(key, out var seen) && seen == generation)
        {
            return false;
        }
        _generations[key] = generation;
        try
        {
            _jobs[key] = MonitorScrapeConfigs.Generate(monitor, _global, _config, _log);
        }
        catch (MonitorException e)
        {
            _jobs.Remove(key);
            _log($"operator: skipping {monitor}: {e.Message}");
        }
        return true;
    }

    private void Remove(string key)
    {
        _jobs.Remove(key);
        _generations.Remove(key);
    }

    private void Publish() => _onChange([.. _jobs.Values.SelectMany(jobs => jobs)]);

    private static string Key(MonitorResource monitor) => $"{monitor.MonitorKind}/{monitor.Namespace}/{monitor.Name}";
}
