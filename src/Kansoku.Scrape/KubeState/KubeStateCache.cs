using Kansoku.Core.Labels;
using k8s.Models;

namespace Kansoku.Scrape.KubeState;

/// <summary>
/// The kube-state metrics of the pods, deployments and nodes a watch has reported, so the guide's alerts find
/// kube-state-metrics' series without it being installed. The owner of the watch calls Upsert for ADDED and MODIFIED,
/// Delete for DELETED and Replace after every (re)list; <see cref="Families"/> serves the scrape. Thread-safe.
/// </summary>
/// <remarks>
/// Each object's samples are computed once, when it is stored (as kube-state-metrics renders on update, not on scrape);
/// a scrape only merges and sorts them, and scrapes between two changes share one snapshot. Objects are keyed by uid, so a
/// pod recreated under the same name is a new object.
/// </remarks>
internal sealed class KubeStateCache
{
    private readonly Lock _lock = new();

    // All guarded by _lock. The sample arrays are never changed once stored.
    private readonly Dictionary<string, KubeStateObjectSample[]> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeStateObjectSample[]> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeStateObjectSample[]> _nodes = new(StringComparer.Ordinal);

    // Guarded by _lock; null after any change until the next Families call.
    private IReadOnlyList<KubeStateFamily>? _families;

    public void Upsert(V1Pod pod) => Store(_pods, Key(pod.Metadata), Render(pod, PodMetrics.Generate));

    public void Upsert(V1Deployment deployment) => Store(_deployments, Key(deployment.Metadata), Render(deployment, DeploymentMetrics.Generate));

    public void Upsert(V1Node node) => Store(_nodes, Key(node.Metadata), Render(node, NodeMetrics.Generate));

    public void Delete(V1Pod pod) => Remove(_pods, Key(pod.Metadata));

    public void Delete(V1Deployment deployment) => Remove(_deployments, Key(deployment.Metadata));

    public void Delete(V1Node node) => Remove(_nodes, Key(node.Metadata));

    /// <summary>Makes <paramref name="pods"/> the only pods known, as after a list: pods deleted while unwatched go away.</summary>
    public void Replace(IEnumerable<V1Pod> pods) => ReplaceAll(_pods, pods, static pod => pod.Metadata, PodMetrics.Generate);

    public void Replace(IEnumerable<V1Deployment> deployments) =>
        ReplaceAll(_deployments, deployments, static deployment => deployment.Metadata, DeploymentMetrics.Generate);

    public void Replace(IEnumerable<V1Node> nodes) => ReplaceAll(_nodes, nodes, static node => node.Metadata, NodeMetrics.Generate);

    /// <summary>
    /// Every family of <see cref="KubeStateDescriptors.All"/> in that (name) order, each with its samples sorted by labels;
    /// a family no object contributes to is present with no samples, as kube-state-metrics still writes its HELP and TYPE.
    /// </summary>
    public IReadOnlyList<KubeStateFamily> Families()
    {
        lock (_lock)
        {
            return _families ??= BuildFamilies();
        }
    }

    private KubeStateFamily[] BuildFamilies()
    {
        var byFamily = new Dictionary<KubeStateDescriptor, List<KubeStateSample>>(KubeStateDescriptors.All.Count);
        foreach (var descriptor in KubeStateDescriptors.All)
        {
            byFamily[descriptor] = [];
        }
        foreach (var objects in (ReadOnlySpan<Dictionary<string, KubeStateObjectSample[]>>)[_pods, _deployments, _nodes])
        {
            foreach (var samples in objects.Values)
            {
                foreach (var sample in samples)
                {
                    byFamily[sample.Family].Add(new KubeStateSample(sample.Labels, sample.Value));
                }
            }
        }
        var families = new KubeStateFamily[KubeStateDescriptors.All.Count];
        for (var i = 0; i < families.Length; i++)
        {
            var descriptor = KubeStateDescriptors.All[i];
            var samples = byFamily[descriptor];
            samples.Sort(static (x, y) => LabelSetComparer.Instance.Compare(x.Labels, y.Labels));
            families[i] = new KubeStateFamily(descriptor.Name, descriptor.Help, descriptor.Type, samples);
        }
        return families;
    }

    private void Store(Dictionary<string, KubeStateObjectSample[]> objects, string key, KubeStateObjectSample[] samples)
    {
        lock (_lock)
        {
            objects[key] = samples;
            _families = null;
        }
    }

    private void Remove(Dictionary<string, KubeStateObjectSample[]> objects, string key)
    {
        lock (_lock)
        {
            if (objects.Remove(key))
            {
                _families = null;
            }
        }
    }

    private void ReplaceAll<T>(
        Dictionary<string, KubeStateObjectSample[]> objects,
        IEnumerable<T> items,
        Func<T, V1ObjectMeta?> metadata,
        Action<T, List<KubeStateObjectSample>> generate)
    {
        var rendered = new List<(string Key, KubeStateObjectSample[] Samples)>();
        foreach (var item in items)
        {
            rendered.Add((Key(metadata(item)), Render(item, generate)));
        }
        lock (_lock)
        {
            objects.Clear();
            foreach (var (key, samples) in rendered)
            {
                objects[key] = samples;
            }
            _families = null;
        }
    }

    private static KubeStateObjectSample[] Render<T>(T item, Action<T, List<KubeStateObjectSample>> generate)
    {
        var samples = new List<KubeStateObjectSample>();
        generate(item, samples);
        return [.. samples];
    }

    // The API server always sets a uid; recorded or hand-made objects without one are told apart by namespace and name.
    private static string Key(V1ObjectMeta? metadata) =>
        metadata?.Uid is { Length: > 0 } uid ? uid : $"{metadata?.NamespaceProperty}/{metadata?.Name}";
}
