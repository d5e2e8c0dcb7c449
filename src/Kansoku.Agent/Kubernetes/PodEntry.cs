using k8s.Models;

namespace Kansoku.Agent.Kubernetes;

/// <summary>What the cache keeps of a pod: the parts metadata is built from, not the whole object.</summary>
internal sealed class PodEntry
{
    private static readonly Dictionary<string, string> s_empty = new(StringComparer.Ordinal);

    public required string NamespaceName { get; init; }
    public required string Name { get; init; }
    public required string Uid { get; init; }
    public string NodeName { get; init; } = "";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = s_empty;
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = s_empty;
    /// <summary>Container name -> image, from the spec (what the user wrote), else the status.</summary>
    public IReadOnlyDictionary<string, string> Images { get; init; } = s_empty;
    /// <summary>Container name -> container ID without the runtime scheme (<c>containerd://</c>).</summary>
    public IReadOnlyDictionary<string, string> ContainerIds { get; init; } = s_empty;
    /// <summary>The controlling owner reference, if any.</summary>
    public string OwnerKind { get; init; } = "";
    public string OwnerName { get; init; } = "";
    /// <summary>When the API server reported the pod deleted; it stays for late-read logs until the grace ends.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    public static PodEntry From(V1Pod pod)
    {
        var metadata = pod.Metadata;
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        AddStatuses(pod.Status?.ContainerStatuses, images, ids);
        AddStatuses(pod.Status?.InitContainerStatuses, images, ids);
        AddStatuses(pod.Status?.EphemeralContainerStatuses, images, ids);
        AddSpecImages(pod.Spec?.Containers?.Select(c => (c.Name, c.Image)), images);
        AddSpecImages(pod.Spec?.InitContainers?.Select(c => (c.Name, c.Image)), images);
        AddSpecImages(pod.Spec?.EphemeralContainers?.Select(c => (c.Name, c.Image)), images);
        var owner = metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? metadata?.OwnerReferences?.FirstOrDefault();
        return new PodEntry
        {
            NamespaceName = metadata?.NamespaceProperty ?? "",
            Name = metadata?.Name ?? "",
            Uid = metadata?.Uid ?? "",
            NodeName = pod.Spec?.NodeName ?? "",
            Labels = Copy(metadata?.Labels),
            Annotations = Copy(metadata?.Annotations),
            Images = images,
            ContainerIds = ids,
            OwnerKind = owner?.Kind ?? "",
            OwnerName = owner?.Name ?? "",
        };
    }

    /// <summary>True when everything metadata is built from is equal (status churn does not count as a change).</summary>
    public bool SameAs(PodEntry other) =>
        NamespaceName == other.NamespaceName && Name == other.Name && Uid == other.Uid && NodeName == other.NodeName
        && OwnerKind == other.OwnerKind && OwnerName == other.OwnerName && DeletedAt == other.DeletedAt
        && SameMap(Labels, other.Labels) && SameMap(Annotations, other.Annotations)
        && SameMap(Images, other.Images) && SameMap(ContainerIds, other.ContainerIds);

    public static IReadOnlyDictionary<string, string> Copy(IDictionary<string, string>? source) =>
        source is null || source.Count == 0 ? s_empty : new Dictionary<string, string>(source, StringComparer.Ordinal);

    public static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    private static void AddStatuses(IList<V1ContainerStatus>? statuses, Dictionary<string, string> images, Dictionary<string, string> ids)
    {
        if (statuses is null)
        {
            return;
        }
        foreach (var status in statuses)
        {
            if (string.IsNullOrEmpty(status.Name))
            {
                continue;
            }
            if (!string.IsNullOrEmpty(status.Image))
            {
                images[status.Name] = status.Image;
            }
            var id = status.ContainerID;
            if (!string.IsNullOrEmpty(id))
            {
                var scheme = id.IndexOf("://", StringComparison.Ordinal);
                ids[status.Name] = scheme < 0 ? id : id[(scheme + 3)..];
            }
        }
    }

    private static void AddSpecImages(IEnumerable<(string Name, string Image)>? containers, Dictionary<string, string> images)
    {
        if (containers is null)
        {
            return;
        }
        foreach (var (name, image) in containers)
        {
            if (!string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(image))
            {
                images[name] = image;
            }
        }
    }
}
