namespace Kansoku.Scrape.Operator;

/// <summary>spec.attachMetadata: node labels on the targets (kubernetes_sd attach_metadata.node).</summary>
internal sealed class MonitorAttachMetadata
{
    public bool? Node { get; set; }
}
