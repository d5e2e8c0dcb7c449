namespace Kansoku.Scrape.Operator;

/// <summary>
/// A relabelings / metricRelabelings entry in the operator's camelCase form. Unset fields take Prometheus' defaults;
/// actions are matched without regard to case, as the CRD allows <c>Replace</c> and <c>replace</c> alike.
/// </summary>
internal sealed class MonitorRelabelConfig
{
    public List<string> SourceLabels { get; set; } = [];
    public string? Separator { get; set; }
    public string? TargetLabel { get; set; }
    public string? Regex { get; set; }
    public ulong? Modulus { get; set; }
    public string? Replacement { get; set; }
    public string? Action { get; set; }
}
