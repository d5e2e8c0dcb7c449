namespace Kansoku.Agent.Kubernetes;

/// <summary>
/// What the agent knows about one container: from its log file's path alone, or enriched from the API server.
/// Immutable; a change (new labels, say) produces a new instance. Written under the record's <c>kubernetes</c> key
/// with Fluent Bit's names.
/// </summary>
internal sealed record KubernetesMetadata
{
    public required string NamespaceName { get; init; }
    public required string PodName { get; init; }
    /// <summary>The pod's UID; empty when the path does not carry it and the API was not reached.</summary>
    public string PodId { get; init; } = "";
    public required string ContainerName { get; init; }
    /// <summary>The container ID from the file name (64 hex digits for containerd/docker).</summary>
    public string DockerId { get; init; } = "";
    /// <summary>The restart count, from <c>/var/log/pods/.../container/N.log</c>; -1 when unknown.</summary>
    public int RestartCount { get; init; } = -1;
    /// <summary>The node name (Fluent Bit's <c>host</c>).</summary>
    public string Host { get; init; } = "";
    public string ContainerImage { get; init; } = "";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = s_empty;
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = s_empty;
    public IReadOnlyDictionary<string, string> NamespaceLabels { get; init; } = s_empty;
    /// <summary>The top owner: Deployment, StatefulSet, DaemonSet, Job (through ReplicaSet), or the direct owner.</summary>
    public string OwnerKind { get; init; } = "";
    public string OwnerName { get; init; } = "";

    /// <summary>True when the API server supplied this (labels, annotations and node are known).</summary>
    public bool FromApiServer { get; init; }

    private static readonly IReadOnlyDictionary<string, string> s_empty = new Dictionary<string, string>();
}
