using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;
using Kansoku.Agent.Pipeline;
using Kansoku.Kubernetes;

namespace Kansoku.Agent.Kubernetes;

/// <summary>
/// Metadata from the API server: pods (of this node when its name is known), namespaces (for their labels) and
/// ReplicaSets (to name a pod's Deployment) are listed once and then watched, so lookups never wait on the network.
/// </summary>
/// <remarks>
/// What Fluent Bit users miss most is metadata for short-lived pods and a reason when it is missing. Here a deleted
/// pod stays in the cache for <see cref="KubernetesFilterOptions.DeletedPodGrace"/> so logs read after it is gone
/// still get its labels; pods are keyed by UID, so a StatefulSet pod re-created under the same name never lends its
/// metadata to the old pod's files; and every API failure is logged and counted in <see cref="Stats"/>.
/// A lookup for a pod the cache does not know returns the path's identity; <see cref="Version"/> moves when the pod
/// arrives, so callers refresh.
/// </remarks>
internal sealed class KubernetesMetadataProvider : IKubernetesMetadataProvider, IAsyncDisposable
{
    private const string PodTemplateHashLabel = "pod-template-hash";

    private static readonly IReadOnlyDictionary<string, string> s_empty = new Dictionary<string, string>();

    private readonly k8s.Kubernetes _client;
    private readonly KubernetesFilterOptions _options;
    private readonly AgentLog _log;
    private readonly TimeProvider _time;
    private readonly KubernetesWatchSettings _settings;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodEntry> _podsByUid = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), PodEntry> _podsByName = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _namespaceLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), (string Kind, string Name)> _replicaSetOwners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ResourceWatch<V1Pod, V1PodList> _podWatch;
    private readonly ResourceWatch<V1Namespace, V1NamespaceList> _namespaceWatch;
    private readonly ResourceWatch<V1ReplicaSet, V1ReplicaSetList> _replicaSetWatch;
    private string? _podFieldSelector;
    private Task[] _loops = [];
    private long _version;

    /// <summary>A provider that talks to the API server <paramref name="configuration"/> describes; <see cref="Start"/> starts it.</summary>
    public KubernetesMetadataProvider(KubernetesClientConfiguration configuration, KubernetesFilterOptions options, AgentLog log,
        KubernetesWatchSettings? settings = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        _client = new k8s.Kubernetes(configuration);
        var watches = new KubernetesWatchClient(_client, configuration);
        _options = options;
        _log = log;
        _settings = settings ?? new KubernetesWatchSettings();
        _time = timeProvider ?? TimeProvider.System;
        _podFieldSelector = string.IsNullOrEmpty(options.NodeName) ? null : $"spec.nodeName={options.NodeName}";

        _podWatch = new ResourceWatch<V1Pod, V1PodList>("pods",
            ct => _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: _podFieldSelector, cancellationToken: ct),
            (rv, timeout, onError, ct) => watches.WatchAsync<V1Pod>("api/v1/pods", _podFieldSelector, rv, timeout, onError, ct),
            ReplacePods, ApplyPodEvent, log, Stats, _settings);
        _namespaceWatch = new ResourceWatch<V1Namespace, V1NamespaceList>("namespaces",
            ct => _client.CoreV1.ListNamespaceAsync(cancellationToken: ct),
            (rv, timeout, onError, ct) => watches.WatchAsync<V1Namespace>("api/v1/namespaces", null, rv, timeout, onError, ct),
            ReplaceNamespaces, ApplyNamespaceEvent, log, Stats, _settings);
        _replicaSetWatch = new ResourceWatch<V1ReplicaSet, V1ReplicaSetList>("replicasets",
            ct => _client.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: ct),
            (rv, timeout, onError, ct) => watches.WatchAsync<V1ReplicaSet>("apis/apps/v1/replicasets", null, rv, timeout, onError, ct),
            ReplaceReplicaSets, ApplyReplicaSetEvent, log, Stats, _settings);
    }

    public long Version => Interlocked.Read(ref _version);

    public KubernetesApiStats Stats { get; } = new();

    /// <summary>
    /// The provider for <paramref name="options"/>: one that watches the API server when one is configured and its
    /// credentials can be loaded (already started), otherwise a <see cref="PathOnlyMetadataProvider"/>. Says which in
    /// the agent log.
    /// </summary>
    public static IKubernetesMetadataProvider Create(KubernetesFilterOptions options, AgentLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var host = options.NodeNameExplicit ? options.NodeName ?? "" : "";
        if (options.ApiMode == KubernetesApiMode.PathOnly)
        {
            log.Info("kubernetes: no API server configured (no KUBERNETES_SERVICE_HOST, Kube_URL or kubeconfig); metadata from log paths only");
            return new PathOnlyMetadataProvider(host);
        }
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = options.ApiMode == KubernetesApiMode.Kubeconfig
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath)
                : InClusterConfiguration(options);
        }
        catch (Exception e)
        {
            log.Warn($"kubernetes: cannot set up API access ({e.Message}); metadata from log paths only");
            return new PathOnlyMetadataProvider(host);
        }
        KubernetesMetadataProvider provider;
        try
        {
            provider = new KubernetesMetadataProvider(configuration, options, log);
        }
        catch (Exception e)
        {
            log.Warn($"kubernetes: cannot create the API client for {configuration.Host} ({e.Message}); metadata from log paths only");
            return new PathOnlyMetadataProvider(host);
        }
        log.Info($"kubernetes: watching {configuration.Host} for pods {(string.IsNullOrEmpty(options.NodeName) ? "on all nodes" : $"on node {options.NodeName}")}");
        provider.Start();
        return provider;
    }

    /// <summary>Starts the list-and-watch loops. Lookups before the first list return path identities.</summary>
    public void Start()
    {
        if (_loops.Length > 0)
        {
            return;
        }
        var token = _stop.Token;
        _loops =
        [
            Task.Run(() => _podWatch.RunAsync(token), token),
            Task.Run(() => _namespaceWatch.RunAsync(token), token),
            Task.Run(() => _replicaSetWatch.RunAsync(token), token),
        ];
    }

    /// <summary>
    /// Waits until pods, namespaces and ReplicaSets are listed, at most <see cref="KubernetesFilterOptions.InitialSyncTimeout"/>.
    /// Returns false (and logs what is missing) on timeout: reading starts anyway, with path identities until the API answers.
    /// </summary>
    public async Task<bool> WaitForInitialSyncAsync(CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(_podWatch.Synced, _namespaceWatch.Synced, _replicaSetWatch.Synced);
        try
        {
            await all.WaitAsync(_options.InitialSyncTimeout, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            var missing = new List<string>();
            if (!_podWatch.Synced.IsCompleted)
            {
                missing.Add("pods");
            }
            if (!_namespaceWatch.Synced.IsCompleted)
            {
                missing.Add("namespaces");
            }
            if (!_replicaSetWatch.Synced.IsCompleted)
            {
                missing.Add("replicasets");
            }
            _log.Warn($"kubernetes: no initial list of {string.Join(", ", missing)} after {_options.InitialSyncTimeout.TotalSeconds:0.#}s; "
                + "starting with path metadata, records read meanwhile lack labels");
            return false;
        }
    }

    public KubernetesMetadata? Lookup(string logFilePath)
    {
        var identity = KubeletPathParser.ParseResolvingLinks(logFilePath);
        if (identity is null)
        {
            return null;
        }
        try
        {
            lock (_lock)
            {
                var pod = FindPod(identity);
                return pod is null ? WithNode(identity) : Build(identity, pod);
            }
        }
        catch (Exception e)
        {
            // A lookup feeds every record of a file; a bug here must cost labels, not logs.
            Stats.AddError();
            _log.Error($"kubernetes: metadata lookup for {logFilePath} failed: {e.GetType().Name}: {e.Message}");
            return identity;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _client.Dispose();
    }

    private KubernetesMetadata WithNode(KubernetesMetadata identity) =>
        _options.NodeNameExplicit && !string.IsNullOrEmpty(_options.NodeName) ? identity with { Host = _options.NodeName } : identity;

    private PodEntry? FindPod(KubernetesMetadata identity)
    {
        PodEntry? pod;
        if (identity.PodId.Length > 0)
        {
            _podsByUid.TryGetValue(identity.PodId, out pod);
        }
        else
        {
            _podsByName.TryGetValue((identity.NamespaceName, identity.PodName), out pod);
        }
        return pod is null || Expired(pod) ? null : pod;
    }

    private bool Expired(PodEntry pod) => pod.DeletedAt is { } deleted && _time.GetUtcNow() - deleted > _options.DeletedPodGrace;

    private KubernetesMetadata Build(KubernetesMetadata identity, PodEntry pod)
    {
        var (ownerKind, ownerName) = ResolveOwner(pod);
        var container = identity.ContainerName;
        return identity with
        {
            PodId = identity.PodId.Length > 0 ? identity.PodId : pod.Uid,
            DockerId = identity.DockerId.Length > 0 ? identity.DockerId : pod.ContainerIds.GetValueOrDefault(container, ""),
            Host = pod.NodeName,
            ContainerImage = pod.Images.GetValueOrDefault(container, ""),
            Labels = _options.IncludeLabels ? pod.Labels : s_empty,
            Annotations = SelectAnnotations(pod.Annotations),
            NamespaceLabels = _namespaceLabels.GetValueOrDefault(pod.NamespaceName, s_empty),
            OwnerKind = ownerKind,
            OwnerName = ownerName,
            FromApiServer = true,
        };
    }

    private IReadOnlyDictionary<string, string> SelectAnnotations(IReadOnlyDictionary<string, string> annotations)
    {
        if (_options.IncludeAnnotations || annotations.Count == 0)
        {
            return annotations;
        }
        if (!_options.AllowParserAnnotation && !_options.AllowExcludeAnnotation)
        {
            return s_empty;
        }
        // Annotations Off hides annotations from records, but K8S-Logging.* still has to see the ones it obeys.
        Dictionary<string, string>? control = null;
        foreach (var (key, value) in annotations)
        {
            if (KubernetesAnnotations.IsLoggingControl(key))
            {
                (control ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
            }
        }
        return control ?? s_empty;
    }

    private (string Kind, string Name) ResolveOwner(PodEntry pod)
    {
        if (!string.Equals(pod.OwnerKind, "ReplicaSet", StringComparison.Ordinal))
        {
            return (pod.OwnerKind, pod.OwnerName);
        }
        if (_replicaSetOwners.TryGetValue((pod.NamespaceName, pod.OwnerName), out var owner))
        {
            return owner;
        }
        // ReplicaSets not (yet) known, or not readable under RBAC: a Deployment names its ReplicaSets
        // <deployment>-<pod-template-hash>, and the pod carries the hash as a label.
        if (pod.Labels.TryGetValue(PodTemplateHashLabel, out var hash) && hash.Length > 0
            && pod.OwnerName.Length > hash.Length + 1
            && pod.OwnerName.EndsWith(hash, StringComparison.Ordinal)
            && pod.OwnerName[^(hash.Length + 1)] == '-')
        {
            return ("Deployment", pod.OwnerName[..^(hash.Length + 1)]);
        }
        return (pod.OwnerKind, pod.OwnerName);
    }

    private bool ReplacePods(IList<V1Pod> pods)
    {
        if (pods.Count == 0 && _podFieldSelector is not null && !_options.NodeNameExplicit)
        {
            // The node name was guessed from the host name, and no pod runs on a node of that name: the guess is wrong
            // (set NODE_NAME from spec.nodeName). Watching all pods costs memory but keeps metadata.
            _log.Warn($"kubernetes: no pods on node '{_options.NodeName}' (the host name; NODE_NAME is not set); watching pods on all nodes");
            _podFieldSelector = null;
            return false;
        }
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var listed = new HashSet<string>(StringComparer.Ordinal);
            var changed = false;
            foreach (var pod in pods)
            {
                var entry = PodEntry.From(pod);
                listed.Add(entry.Uid);
                changed |= Store(entry);
            }
            // Pods deleted while no watch was open: keep them for the grace period like any deleted pod.
            foreach (var entry in _podsByUid.Values.ToList())
            {
                if (entry.DeletedAt is null && !listed.Contains(entry.Uid))
                {
                    changed |= Store(CloneDeleted(entry, now));
                }
            }
            changed |= Sweep(now);
            if (changed)
            {
                Interlocked.Increment(ref _version);
            }
        }
        return true;
    }

    private void ApplyPodEvent(WatchEventType type, V1Pod pod)
    {
        Stats.AddEvent();
        var entry = PodEntry.From(pod);
        if (entry.Uid.Length == 0)
        {
            return;
        }
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var changed = type switch
            {
                WatchEventType.Added or WatchEventType.Modified => Store(entry),
                WatchEventType.Deleted => Store(CloneDeleted(entry, now)),
                _ => false,
            };
            changed |= Sweep(now);
            if (changed)
            {
                Interlocked.Increment(ref _version);
            }
        }
    }

    /// <summary>Stores a pod under its UID and, unless a newer pod holds its name, under its name.</summary>
    private bool Store(PodEntry entry)
    {
        if (_podsByUid.TryGetValue(entry.Uid, out var existing) && existing.SameAs(entry))
        {
            return false;
        }
        _podsByUid[entry.Uid] = entry;
        var key = (entry.NamespaceName, entry.Name);
        if (!_podsByName.TryGetValue(key, out var named) || named.Uid == entry.Uid || named.DeletedAt is not null)
        {
            _podsByName[key] = entry;
        }
        return true;
    }

    private bool Sweep(DateTimeOffset now)
    {
        List<PodEntry>? expired = null;
        foreach (var entry in _podsByUid.Values)
        {
            if (entry.DeletedAt is { } deleted && now - deleted > _options.DeletedPodGrace)
            {
                (expired ??= []).Add(entry);
            }
        }
        if (expired is null)
        {
            return false;
        }
        foreach (var entry in expired)
        {
            _podsByUid.Remove(entry.Uid);
            var key = (entry.NamespaceName, entry.Name);
            if (_podsByName.TryGetValue(key, out var named) && named.Uid == entry.Uid)
            {
                _podsByName.Remove(key);
            }
        }
        return true;
    }

    private static PodEntry CloneDeleted(PodEntry entry, DateTimeOffset now) => new()
    {
        NamespaceName = entry.NamespaceName,
        Name = entry.Name,
        Uid = entry.Uid,
        NodeName = entry.NodeName,
        Labels = entry.Labels,
        Annotations = entry.Annotations,
        Images = entry.Images,
        ContainerIds = entry.ContainerIds,
        OwnerKind = entry.OwnerKind,
        OwnerName = entry.OwnerName,
        DeletedAt = entry.DeletedAt ?? now,
    };

    private bool ReplaceNamespaces(IList<V1Namespace> namespaces)
    {
        lock (_lock)
        {
            var changed = namespaces.Count != _namespaceLabels.Count;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var ns in namespaces)
            {
                var name = ns.Metadata?.Name;
                if (string.IsNullOrEmpty(name))
                {
                    continue;
                }
                seen.Add(name);
                changed |= SetNamespaceLabels(name, PodEntry.Copy(ns.Metadata?.Labels));
            }
            foreach (var name in _namespaceLabels.Keys.Where(n => !seen.Contains(n)).ToList())
            {
                _namespaceLabels.Remove(name);
                changed = true;
            }
            if (changed)
            {
                Interlocked.Increment(ref _version);
            }
        }
        return true;
    }

    private void ApplyNamespaceEvent(WatchEventType type, V1Namespace ns)
    {
        Stats.AddEvent();
        var name = ns.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            return;
        }
        lock (_lock)
        {
            // A deleted namespace's pods are deleted too, but their late logs still deserve its labels: keep them.
            var changed = type is WatchEventType.Added or WatchEventType.Modified
                && SetNamespaceLabels(name, PodEntry.Copy(ns.Metadata?.Labels));
            if (changed)
            {
                Interlocked.Increment(ref _version);
            }
        }
    }

    private bool SetNamespaceLabels(string name, IReadOnlyDictionary<string, string> labels)
    {
        if (_namespaceLabels.TryGetValue(name, out var existing) && PodEntry.SameMap(existing, labels))
        {
            return false;
        }
        _namespaceLabels[name] = labels;
        return true;
    }

    private bool ReplaceReplicaSets(IList<V1ReplicaSet> replicaSets)
    {
        lock (_lock)
        {
            var previous = new Dictionary<(string, string), (string, string)>(_replicaSetOwners);
            _replicaSetOwners.Clear();
            foreach (var replicaSet in replicaSets)
            {
                SetReplicaSetOwner(replicaSet, remove: false);
            }
            var changed = previous.Count != _replicaSetOwners.Count
                || previous.Any(p => !_replicaSetOwners.TryGetValue(p.Key, out var owner) || owner != p.Value);
            if (changed)
            {
                Interlocked.Increment(ref _version);
            }
        }
        return true;
    }

    private void ApplyReplicaSetEvent(WatchEventType type, V1ReplicaSet replicaSet)
    {
        Stats.AddEvent();
        lock (_lock)
        {
            // Scaling rewrites a ReplicaSet's status often; only a changed owner is a metadata change.
            if (SetReplicaSetOwner(replicaSet, remove: type == WatchEventType.Deleted))
            {
                Interlocked.Increment(ref _version);
            }
        }
    }

    private bool SetReplicaSetOwner(V1ReplicaSet replicaSet, bool remove)
    {
        var metadata = replicaSet.Metadata;
        if (metadata?.Name is null)
        {
            return false;
        }
        var key = (metadata.NamespaceProperty ?? "", metadata.Name);
        var owner = metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (remove || owner is null)
        {
            return _replicaSetOwners.Remove(key);
        }
        var value = (owner.Kind ?? "", owner.Name ?? "");
        if (_replicaSetOwners.TryGetValue(key, out var existing) && existing == value)
        {
            return false;
        }
        _replicaSetOwners[key] = value;
        return true;
    }

    private static KubernetesClientConfiguration InClusterConfiguration(KubernetesFilterOptions options)
    {
        var configuration = new KubernetesClientConfiguration { Host = options.KubeUrl, SkipTlsVerify = !options.TlsVerify };
        var https = options.KubeUrl.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        if (File.Exists(options.TokenFile))
        {
            configuration.TokenProvider = new TokenFileProvider(options.TokenFile);
        }
        else if (https)
        {
            throw new FileNotFoundException($"token file {options.TokenFile} not found (Kube_Token_File)");
        }
        if (https && options.TlsVerify)
        {
            if (!File.Exists(options.CaFile))
            {
                throw new FileNotFoundException($"CA file {options.CaFile} not found (Kube_CA_File; tls.verify Off skips it)");
            }
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(options.CaFile);
            configuration.SslCaCerts = authorities;
        }
        return configuration;
    }
}
