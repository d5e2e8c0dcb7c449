namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// The argument of a range aggregation: a log query over a window, <c>{app="web"} |= "x" | unwrap y [5m] offset 1h</c>.
/// A pipeline written after the range (<c>{app="web"}[5m] |= "x"</c>) is folded into <see cref="Selector"/>.
/// </summary>
internal sealed class LogRangeExpr(SourceSpan span, LogSelectorExpr selector, TimeSpan range, TimeSpan offset, UnwrapExpr? unwrap)
    : Node(span)
{
    public LogSelectorExpr Selector { get; } = selector;

    public TimeSpan Range { get; } = range;

    /// <summary>Zero when absent; may be negative.</summary>
    public TimeSpan Offset { get; } = offset;

    public UnwrapExpr? Unwrap { get; } = unwrap;
}
