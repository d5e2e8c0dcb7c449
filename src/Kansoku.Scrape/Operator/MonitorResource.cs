using k8s;
using k8s.Models;

namespace Kansoku.Scrape.Operator;

/// <summary>
/// A ServiceMonitor or PodMonitor as listed or watched. One that could not be read keeps its metadata (so its
/// deletion still finds it) and says in <see cref="Error"/> which field was wrong, instead of failing the watch.
/// </summary>
internal sealed class MonitorResource : IKubernetesObject<V1ObjectMeta>
{
    public MonitorResource(MonitorKind monitorKind, V1ObjectMeta metadata, MonitorSpec? spec, string? error)
    {
        MonitorKind = monitorKind;
        Metadata = metadata;
        Spec = spec;
        Error = error;
        Kind = monitorKind.ToString();
    }

    public string ApiVersion { get; set; } = "monitoring.coreos.com/v1";
    public string Kind { get; set; }
    public V1ObjectMeta Metadata { get; set; }
    public MonitorKind MonitorKind { get; }
    /// <summary>Null exactly when <see cref="Error"/> is set.</summary>
    public MonitorSpec? Spec { get; }
    public string? Error { get; }

    public string Namespace => Metadata.NamespaceProperty ?? "";
    public string Name => Metadata.Name ?? "";

    /// <summary>How logs name it: <c>servicemonitor shop/web</c>.</summary>
    public override string ToString() => $"{Kind.ToLowerInvariant()} {Namespace}/{Name}";
}
