using k8s.Models;

namespace Kansoku.Scrape.Operator;

/// <summary>A list response of monitors, in the shape <see cref="Kansoku.Kubernetes.ResourceWatch{TItem, TList}"/> takes.</summary>
internal sealed class MonitorResourceList : IItems<MonitorResource>, IMetadata<V1ListMeta>
{
    public MonitorResourceList(V1ListMeta metadata, IList<MonitorResource> items)
    {
        Metadata = metadata;
        Items = items;
    }

    public V1ListMeta Metadata { get; set; }
    public IList<MonitorResource> Items { get; set; }
}
