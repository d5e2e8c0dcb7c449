namespace Kansoku.Scrape.Operator;

/// <summary>
/// The spec of a ServiceMonitor or PodMonitor: the fields the operator turns into scrape configuration. The two kinds
/// share all but their endpoint list's name, so one type reads both; fields not listed here are ignored.
/// </summary>
internal sealed class MonitorSpec
{
    public MonitorLabelSelector Selector { get; set; } = new();
    public MonitorNamespaceSelector NamespaceSelector { get; set; } = new();
    public string? JobLabel { get; set; }
    /// <summary>ServiceMonitor only: service labels copied onto the targets.</summary>
    public List<string> TargetLabels { get; set; } = [];
    public List<string> PodTargetLabels { get; set; } = [];
    /// <summary>ServiceMonitor's endpoints.</summary>
    public List<MonitorEndpoint> Endpoints { get; set; } = [];
    /// <summary>PodMonitor's endpoints.</summary>
    public List<MonitorEndpoint> PodMetricsEndpoints { get; set; } = [];
    public MonitorAttachMetadata? AttachMetadata { get; set; }
    public long? SampleLimit { get; set; }
    public long? TargetLimit { get; set; }
    public long? LabelLimit { get; set; }
    public long? LabelNameLengthLimit { get; set; }
    public long? LabelValueLengthLimit { get; set; }
}
