namespace Kansoku.Scrape.Operator;

/// <summary>A Kubernetes label selector (metav1.LabelSelector): every matchLabels pair and every expression must hold.</summary>
internal sealed class MonitorLabelSelector
{
    public Dictionary<string, string> MatchLabels { get; set; } = [];
    public List<MonitorLabelRequirement> MatchExpressions { get; set; } = [];
}
