namespace Kansoku.Scrape.Operator;

/// <summary>spec.namespaceSelector: every namespace (any), the listed ones, or by default the monitor's own.</summary>
internal sealed class MonitorNamespaceSelector
{
    public bool Any { get; set; }
    public List<string> MatchNames { get; set; } = [];
}
