namespace Kansoku.PromQL.Parser;

/// <summary>
/// <c>op by|without (labels) (param, expr)</c>. <see cref="Parameter"/> is set for topk, bottomk, quantile,
/// count_values, limitk and limit_ratio. <see cref="Grouping"/> is in query order; for <c>without</c> Prometheus keeps it
/// so, and for <c>by</c> too (the engine sorts if it needs to).
/// </summary>
internal sealed class AggregateExpr(
    Aggregation op, Expr expression, Expr? parameter, IReadOnlyList<string> grouping, bool without, PositionRange position)
    : Expr(position)
{
    public Aggregation Operator { get; } = op;

    public Expr Expression { get; } = expression;

    public Expr? Parameter { get; } = parameter;

    public IReadOnlyList<string> Grouping { get; } = grouping;

    public bool Without { get; } = without;

    public override ValueType Type => ValueType.Vector;
}
