namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>label_replace(expr, "dst", "replacement", "src", "regex")</c>, PromQL semantics (regex anchored).</summary>
internal sealed class LabelReplaceExpr(
    SourceSpan span, SampleExpr inner, string destination, string replacement, string source, string regex) : SampleExpr(span)
{
    public SampleExpr Inner { get; } = inner;

    public string Destination { get; } = destination;

    public string Replacement { get; } = replacement;

    public string Source { get; } = source;

    public string Regex { get; } = regex;
}
