namespace Kansoku.PromQL.Parser;

/// <summary>
/// A subquery <c>expr[range:step] offset o @ t</c>. <see cref="Step"/> is zero when omitted (the engine then uses the
/// global evaluation interval). Each duration has an expression form for the experimental duration arithmetic.
/// </summary>
internal sealed class SubqueryExpr(Expr expression, PositionRange position) : Expr(position)
{
    public Expr Expression { get; } = expression;

    public TimeSpan Range { get; set; }

    public DurationExpr? RangeExpression { get; set; }

    public TimeSpan Step { get; set; }

    public DurationExpr? StepExpression { get; set; }

    public TimeSpan OriginalOffset { get; set; }

    public DurationExpr? OffsetExpression { get; set; }

    /// <summary>The <c>@</c> timestamp in milliseconds since the epoch, or null.</summary>
    public long? Timestamp { get; set; }

    public AtModifier At { get; set; }

    public override ValueType Type => ValueType.Matrix;
}
