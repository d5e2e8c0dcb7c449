namespace Kansoku.Scrape.Operator;

/// <summary>One matchExpressions entry: operator In, NotIn, Exists or DoesNotExist, spelled as Kubernetes does.</summary>
internal sealed class MonitorLabelRequirement
{
    public string Key { get; set; } = "";
    public string Operator { get; set; } = "";
    public List<string> Values { get; set; } = [];
}
