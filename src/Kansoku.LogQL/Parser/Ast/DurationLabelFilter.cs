namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>latency &gt; 250ms</c>: the label value is parsed as a Go/Prometheus duration.</summary>
internal sealed class DurationLabelFilter(SourceSpan span, string name, LabelComparison comparison, TimeSpan value) : LabelFilter(span)
{
    public string Name { get; } = name;

    public LabelComparison Comparison { get; } = comparison;

    public TimeSpan Value { get; } = value;
}
