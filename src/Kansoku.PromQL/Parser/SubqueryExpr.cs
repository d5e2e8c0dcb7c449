namespace Kansoku.PromQL.Parser;

/// <summary>
/// A subquery <c>expr[range:step] offset o @ t</c>. <see cref="Step"/> is zero when omitted (the engine then uses the
/// global evaluation interval). Each duration has an expression form for the experimental duration arithmetic.
/// </summary>
internal sealed class SubqueryExpr(Expr expression, PositionRange position) : Expr(position)
{
    public Expr Expression { get; } = expression;

    public TimeSpan Range { get; init; }

    public DurationExpr? RangeExpression { get; init; }

    public TimeSpan Step { get; init; }

    public DurationExpr? StepExpression { get; init; }

    public TimeSpan OriginalOffset { get; init; }

    public DurationExpr? OffsetExpression { get; init; }

    /// <summary>The <c>@</c> timestamp in milliseconds since the epoch, or null.</summary>
    public long? Timestamp { get; init; }

    public AtModifier At { get; init; }

    public override ValueType Type => ValueType.Matrix;
}
