using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Kansoku.Kubernetes;
using Kansoku.Scrape.Config;

namespace Kansoku.Scrape.Discovery.Kubernetes;

/// <summary>
/// kubernetes_sd_configs for one role: lists and watches what the role needs (endpoints and endpointslice also watch
/// services and pods, whose labels their targets carry), in each configured namespace or all of them, through the
/// shared <see cref="ResourceWatch{TItem, TList}"/>. Nothing is sent until every watch has listed once, so the first
/// update is complete; after that each change sends the groups it altered, a deleted object's group empty.
/// </summary>
internal sealed class KubernetesDiscoverer : IDiscoverer
{
    private const string OwnNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    private readonly KubernetesSdConfig _config;
    private readonly KubernetesWatchSettings _settings;
    private readonly WatchLog _log;
    private readonly Lock _lock = new();
    // Guarded by _lock, as is everything below.
    private readonly ObjectCache<V1Pod> _pods = new();
    private readonly ObjectCache<V1Service> _services = new();
    private readonly ObjectCache<V1Endpoints> _endpoints = new();
    private readonly ObjectCache<V1EndpointSlice> _endpointSlices = new();
    private readonly ObjectCache<V1Node> _nodes = new();
    private readonly Dictionary<string, TargetGroup> _sent = new(StringComparer.Ordinal);
    private ChannelWriter<IReadOnlyList<TargetGroup>>? _updates;
    private bool _synced;

    public KubernetesDiscoverer(KubernetesSdConfig config, Action<string>? onError = null, KubernetesWatchSettings? settings = null)
    {
        _config = config;
        _settings = settings ?? new KubernetesWatchSettings();
        _log = new WatchLog(onError ?? (_ => { }));
    }

    public KubernetesApiStats Stats { get; } = new();

    public async Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        KubernetesClientConfiguration clientConfiguration;
        try
        {
            clientConfiguration = ClientConfiguration(_config);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // As Prometheus, a job whose discovery cannot start has no targets from it; the rest of the server runs on.
            _log.Warn($"kubernetes_sd ({_config.Role.ToString().ToLowerInvariant()}): cannot set up API access: {e.Message}");
            return;
        }
        using var client = new k8s.Kubernetes(clientConfiguration);
        var watches = new KubernetesWatchClient(client, clientConfiguration);
        lock (_lock)
        {
            _updates = updates;
        }
        var runs = new List<(Task Run, Task Synced)>();
        var namespaces = Namespaces();
        var pod = _config.Selectors.GetValueOrDefault(KubernetesRole.Pod);
        var service = _config.Selectors.GetValueOrDefault(KubernetesRole.Service);
        var endpoints = _config.Selectors.GetValueOrDefault(KubernetesRole.Endpoints);
        var slices = _config.Selectors.GetValueOrDefault(KubernetesRole.EndpointSlice);
        var node = _config.Selectors.GetValueOrDefault(KubernetesRole.Node);
        foreach (var ns in _config.Role == KubernetesRole.Node ? [null] : namespaces)
        {
            if (_config.Role is KubernetesRole.Pod or KubernetesRole.Endpoints or KubernetesRole.EndpointSlice)
            {
                runs.Add(Watch(_pods, "pods", ns, Path(ns, "api/v1", "pods"), pod, watches,
                    ct => ns is null ? client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: pod?.Field, labelSelector: pod?.Label, cancellationToken: ct)
                        : client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: pod?.Field, labelSelector: pod?.Label, cancellationToken: ct), cancellationToken));
            }
            if (_config.Role is KubernetesRole.Service or KubernetesRole.Endpoints or KubernetesRole.EndpointSlice)
            {
                runs.Add(Watch(_services, "services", ns, Path(ns, "api/v1", "services"), service, watches,
                    ct => ns is null ? client.CoreV1.ListServiceForAllNamespacesAsync(fieldSelector: service?.Field, labelSelector: service?.Label, cancellationToken: ct)
                        : client.CoreV1.ListNamespacedServiceAsync(ns, fieldSelector: service?.Field, labelSelector: service?.Label, cancellationToken: ct), cancellationToken));
            }
            if (_config.Role == KubernetesRole.Endpoints)
            {
                runs.Add(Watch(_endpoints, "endpoints", ns, Path(ns, "api/v1", "endpoints"), endpoints, watches,
                    ct => ns is null ? client.CoreV1.ListEndpointsForAllNamespacesAsync(fieldSelector: endpoints?.Field, labelSelector: endpoints?.Label, cancellationToken: ct)
                        : client.CoreV1.ListNamespacedEndpointsAsync(ns, fieldSelector: endpoints?.Field, labelSelector: endpoints?.Label, cancellationToken: ct), cancellationToken));
            }
            if (_config.Role == KubernetesRole.EndpointSlice)
            {
                runs.Add(Watch(_endpointSlices, "endpointslices", ns, Path(ns, "apis/discovery.k8s.io/v1", "endpointslices"), slices, watches,
                    ct => ns is null ? client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(fieldSelector: slices?.Field, labelSelector: slices?.Label, cancellationToken: ct)
                        : client.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns, fieldSelector: slices?.Field, labelSelector: slices?.Label, cancellationToken: ct), cancellationToken));
            }
            if (_config.Role == KubernetesRole.Node)
            {
                runs.Add(Watch(_nodes, "nodes", null, "api/v1/nodes", node, watches,
                    ct => client.CoreV1.ListNodeAsync(fieldSelector: node?.Field, labelSelector: node?.Label, cancellationToken: ct), cancellationToken));
            }
        }
        if (_config.AttachNodeMetadata)
        {
            runs.Add(Watch(_nodes, "nodes", null, "api/v1/nodes", node, watches,
                ct => client.CoreV1.ListNodeAsync(fieldSelector: node?.Field, labelSelector: node?.Label, cancellationToken: ct), cancellationToken));
        }
        var all = Task.WhenAll(runs.Select(r => r.Run));
        var synced = Task.WhenAll(runs.Select(r => r.Synced));
        if (await Task.WhenAny(synced, all) == synced)
        {
            lock (_lock)
            {
                _synced = true;
                SendChanges(BuildAll());
            }
        }
        await all;
    }

    private (Task Run, Task Synced) Watch<TItem, TList>(ObjectCache<TItem> cache, string resource, string? ns, string watchPath,
        KubernetesSelector? selector, KubernetesWatchClient watches, ResourceWatch<TItem, TList>.List list, CancellationToken cancellationToken)
        where TItem : IKubernetesObject<V1ObjectMeta>
        where TList : IItems<TItem>, IMetadata<V1ListMeta>
    {
        var watch = new ResourceWatch<TItem, TList>(ns is null ? resource : $"{resource} in {ns}", list,
            (version, timeout, onError, ct) => watches.WatchAsync<TItem>(watchPath, selector?.Field, version, timeout, onError, ct, selector?.Label),
            items =>
            {
                lock (_lock)
                {
                    cache.Replace(ns, items);
                    SendChanges(BuildAll());
                }
                return true;
            },
            (type, item) =>
            {
                Stats.AddEvent();
                lock (_lock)
                {
                    cache.Apply(type, item);
                    SendChanges(Affected(item, type == WatchEventType.Deleted));
                }
            },
            _log, Stats, _settings);
        return (watch.RunAsync(cancellationToken), watch.Synced);
    }

    private static string Path(string? ns, string group, string resource) =>
        ns is null ? $"{group}/{resource}" : $"{group}/namespaces/{ns}/{resource}";

    /// <summary>Each namespace to watch; a single null means all of them.</summary>
    private List<string?> Namespaces()
    {
        var names = new List<string?>(_config.Namespaces);
        if (_config.OwnNamespace)
        {
            names.Add(System.IO.File.ReadAllText(OwnNamespaceFile).Trim());
        }
        return names.Count == 0 ? [null] : names;
    }

    /// <summary>The groups of every object of the role, and empty groups for sources sent before that are gone.</summary>
    private List<TargetGroup> BuildAll()
    {
        var groups = new List<TargetGroup>();
        switch (_config.Role)
        {
            case KubernetesRole.Pod:
                groups.AddRange(_pods.Items.Select(Build));
                break;
            case KubernetesRole.Service:
                groups.AddRange(_services.Items.Select(KubernetesTargets.Service));
                break;
            case KubernetesRole.Endpoints:
                groups.AddRange(_endpoints.Items.Select(Build));
                break;
            case KubernetesRole.EndpointSlice:
                groups.AddRange(_endpointSlices.Items.Select(Build));
                break;
            case KubernetesRole.Node:
                groups.AddRange(_nodes.Items.Select(KubernetesTargets.Node));
                break;
        }
        var current = groups.Select(g => g.Source).ToHashSet(StringComparer.Ordinal);
        foreach (var source in _sent.Keys)
        {
            if (!current.Contains(source))
            {
                groups.Add(TargetGroup.Empty(source));
            }
        }
        return groups;
    }

    /// <summary>
    /// The groups an event changes: the object's own for the role's kind; for a service or pod seen by the endpoints
    /// roles, every endpoints object of its namespace, since any of them may carry its labels.
    /// </summary>
    private List<TargetGroup> Affected(IKubernetesObject<V1ObjectMeta> item, bool deleted)
    {
        var ns = item.Metadata?.NamespaceProperty;
        var name = item.Metadata?.Name;
        return (_config.Role, item) switch
        {
            (KubernetesRole.Pod, V1Pod pod) => [deleted ? TargetGroup.Empty(KubernetesTargets.PodSource(ns, name)) : Build(pod)],
            (KubernetesRole.Service, V1Service service) =>
                [deleted ? TargetGroup.Empty(KubernetesTargets.ServiceSource(ns, name)) : KubernetesTargets.Service(service)],
            (KubernetesRole.Node, V1Node node) => [deleted ? TargetGroup.Empty(KubernetesTargets.NodeSource(name)) : KubernetesTargets.Node(node)],
            (KubernetesRole.Endpoints, V1Endpoints endpoints) =>
                [deleted ? TargetGroup.Empty(KubernetesTargets.EndpointsSource(ns, name)) : Build(endpoints)],
            (KubernetesRole.EndpointSlice, V1EndpointSlice slice) =>
                [deleted ? TargetGroup.Empty(KubernetesTargets.EndpointSliceSource(ns, name)) : Build(slice)],
            // A node's labels may be on any target of the role.
            (not KubernetesRole.Node, V1Node) => BuildAll(),
            (KubernetesRole.Endpoints, _) => [.. _endpoints.Items.Where(e => e.Metadata?.NamespaceProperty == ns).Select(Build)],
            (KubernetesRole.EndpointSlice, _) => [.. _endpointSlices.Items.Where(e => e.Metadata?.NamespaceProperty == ns).Select(Build)],
            _ => [],
        };
    }

    private KubernetesTargets.Lookup<V1Node>? AttachedNodes => _config.AttachNodeMetadata ? _nodes.Get : null;

    private TargetGroup Build(V1Pod pod) => KubernetesTargets.Pod(pod, AttachedNodes);

    private TargetGroup Build(V1Endpoints endpoints) => KubernetesTargets.Endpoints(endpoints, _services.Get, _pods.Get, AttachedNodes);

    private TargetGroup Build(V1EndpointSlice slice) => KubernetesTargets.EndpointSlice(slice, _services.Get, _pods.Get, AttachedNodes);

    /// <summary>Sends the groups that differ from what was last sent for their source. Call under _lock.</summary>
    private void SendChanges(List<TargetGroup> groups)
    {
        if (!_synced || _updates is null)
        {
            return;
        }
        var changed = new List<TargetGroup>();
        foreach (var group in groups)
        {
            var known = _sent.TryGetValue(group.Source, out var previous);
            if (known && SameTargets(previous!, group))
            {
                continue;
            }
            if (group.Targets.Count == 0 && group.Labels.Count == 0)
            {
                if (!known)
                {
                    continue;
                }
                _sent.Remove(group.Source);
            }
            else
            {
                _sent[group.Source] = group;
            }
            changed.Add(group);
        }
        if (changed.Count > 0)
        {
            _updates.TryWrite(changed);
        }
    }

    private static bool SameTargets(TargetGroup a, TargetGroup b) =>
        a.Labels.Equals(b.Labels) && a.Targets.SequenceEqual(b.Targets);

    /// <summary>In order: the kubeconfig file, the explicit api_server with the job's credentials and TLS, the in-cluster service account.</summary>
    internal static KubernetesClientConfiguration ClientConfiguration(KubernetesSdConfig config)
    {
        if (config.KubeconfigFile is { } kubeconfig)
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        }
        if (config.ApiServer is null)
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }
        var http = config.Http;
        var tls = http.Tls;
        var configuration = new KubernetesClientConfiguration
        {
            Host = config.ApiServer.AbsoluteUri,
            SkipTlsVerify = tls.InsecureSkipVerify,
            TlsServerName = tls.ServerName,
            DisableHttp2 = !http.EnableHttp2,
            ClientCertificateFilePath = tls.CertFile,
            ClientKeyFilePath = tls.KeyFile,
        };
        if (http.Authorization is { } authorization)
        {
            if (authorization.CredentialsFile is { } file)
            {
                configuration.TokenProvider = new TokenFileProvider(file);
            }
            else
            {
                configuration.AccessToken = authorization.Credentials;
            }
        }
        if (http.BasicAuth is { } basic)
        {
            configuration.Username = basic.Username;
            configuration.Password = basic.PasswordFile is { } passwordFile ? System.IO.File.ReadAllText(passwordFile).Trim() : basic.Password;
        }
        if (tls.CaFile is not null || tls.Ca is not null)
        {
            var authorities = new X509Certificate2Collection();
            if (tls.CaFile is { } caFile)
            {
                authorities.ImportFromPemFile(caFile);
            }
            else
            {
                authorities.ImportFromPem(tls.Ca);
            }
            configuration.SslCaCerts = authorities;
        }
        return configuration;
    }
}
