using k8s;
using k8s.Models;
using Kansoku.Kubernetes;
using Kansoku.Scrape.Cluster;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery.Kubernetes;

namespace Kansoku.Scrape.KubeState;

/// <summary>
/// Keeps a <see cref="KubeStateCache"/> in step with the cluster's pods, deployments and nodes (list, then watch, in all
/// namespaces), as kube-state-metrics does, so its series exist without it being installed.
/// </summary>
internal sealed class KubeStateWatcher
{
    private readonly ClusterAccess _access;
    private readonly KubernetesWatchSettings _settings;
    private readonly WatchLog _log;

    public KubeStateWatcher(ClusterAccess access, KubeStateCache cache, Action<string> log, KubernetesWatchSettings? settings = null)
    {
        _access = access;
        Cache = cache;
        _settings = settings ?? new KubernetesWatchSettings();
        _log = new WatchLog(log);
    }

    public KubeStateCache Cache { get; }

    public KubernetesApiStats Stats { get; } = new();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesDiscoverer.ClientConfiguration(_access.Discovery(new KubernetesSdConfig { Role = KubernetesRole.Pod }));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Warn($"kube-state: cannot set up API access: {e.Message}");
            return;
        }
        using var client = new k8s.Kubernetes(configuration);
        var watches = new KubernetesWatchClient(client, configuration);
        await Task.WhenAll(
            Watch<V1Pod, V1PodList>("pods", "api/v1/pods", watches,
                ct => client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct),
                Cache.Replace, Cache.Upsert, Cache.Delete, cancellationToken),
            Watch<V1Deployment, V1DeploymentList>("deployments", "apis/apps/v1/deployments", watches,
                ct => client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: ct),
                Cache.Replace, Cache.Upsert, Cache.Delete, cancellationToken),
            Watch<V1Node, V1NodeList>("nodes", "api/v1/nodes", watches,
                ct => client.CoreV1.ListNodeAsync(cancellationToken: ct),
                Cache.Replace, Cache.Upsert, Cache.Delete, cancellationToken)).ConfigureAwait(false);
    }

    private Task Watch<TItem, TList>(string resource, string path, KubernetesWatchClient watches, ResourceWatch<TItem, TList>.List list,
        Action<IEnumerable<TItem>> replace, Action<TItem> upsert, Action<TItem> delete, CancellationToken cancellationToken)
        where TItem : IKubernetesObject<V1ObjectMeta>
        where TList : IItems<TItem>, IMetadata<V1ListMeta>
    {
        var watch = new ResourceWatch<TItem, TList>(resource, list,
            (version, timeout, onError, ct) => watches.WatchAsync<TItem>(path, null, version, timeout, onError, ct),
            items =>
            {
                replace(items);
                return true;
            },
            (type, item) =>
            {
                Stats.AddEvent();
                if (type == WatchEventType.Deleted)
                {
                    delete(item);
                }
                else
                {
                    upsert(item);
                }
            },
            _log, Stats, _settings);
        return watch.RunAsync(cancellationToken);
    }
}
