namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// <c>sum by (a) (expr)</c>, <c>topk(5, expr)</c>. <see cref="Parameter"/> is the k (&gt; 0) of topk/bottomk/approx_topk
/// and null otherwise. A null <see cref="Grouping"/> aggregates everything into one series, like <c>by ()</c>.
/// </summary>
internal sealed class VectorAggregationExpr(
    SourceSpan span, VectorOperation operation, int? parameter, SampleExpr inner, Grouping? grouping) : SampleExpr(span)
{
    public VectorOperation Operation { get; } = operation;

    public int? Parameter { get; } = parameter;

    public SampleExpr Inner { get; } = inner;

    public Grouping? Grouping { get; } = grouping;
}
