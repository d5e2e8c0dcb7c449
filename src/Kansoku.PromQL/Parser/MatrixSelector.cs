namespace Kansoku.PromQL.Parser;

/// <summary>
/// A range vector selector <c>selector[5m]</c>. Offset and <c>@</c> live on <see cref="Selector"/>, as in Prometheus.
/// The range is <see cref="Range"/>, or <see cref="RangeExpression"/> when written as a duration expression (experimental).
/// </summary>
internal sealed class MatrixSelector(VectorSelector selector, TimeSpan range, DurationExpr? rangeExpression, PositionRange position)
    : Expr(position)
{
    public VectorSelector Selector { get; } = selector;

    public TimeSpan Range { get; } = range;

    public DurationExpr? RangeExpression { get; } = rangeExpression;

    public override ValueType Type => ValueType.Matrix;
}
