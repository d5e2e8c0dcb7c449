namespace Kansoku.Core.Labels;

/// <summary>Label names with a meaning of their own in Prometheus' model.</summary>
public static class LabelNames
{
    /// <summary>The metric name, stored as a label.</summary>
    public const string MetricName = "__name__";

    public const string Job = "job";

    public const string Instance = "instance";

    /// <summary>The prefix of exposed labels renamed because the target sets a label of the same name.</summary>
    public const string ExportedPrefix = "exported_";
}
