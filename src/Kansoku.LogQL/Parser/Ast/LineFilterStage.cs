namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// A line filter such as <c>|= "error"</c>, or with alternatives <c>|= "a" or "b"</c>. For the positive types a line
/// passes when ANY value matches; for the negative types (<c>!=</c>, <c>!~</c>, <c>!&gt;</c>) it passes when NO value
/// matches (Loki reads <c>!= "a" or "b"</c> as <c>!= "a" != "b"</c>).
/// </summary>
internal sealed class LineFilterStage(SourceSpan span, LineFilterType type, IReadOnlyList<LineFilterValue> values)
    : PipelineStage(span)
{
    public LineFilterType Type { get; } = type;

    /// <summary>At least one value; more than one when written with <c>or</c>.</summary>
    public IReadOnlyList<LineFilterValue> Values { get; } = values;

    public bool IsNegative => Type is LineFilterType.NotContains or LineFilterType.NotRegex or LineFilterType.NotPattern;
}
