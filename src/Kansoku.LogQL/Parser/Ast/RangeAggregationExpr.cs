namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// <c>rate({app="web"}[5m])</c>, <c>quantile_over_time(0.99, {...} | unwrap x [5m]) by (a)</c>. The parser enforced
/// Loki's rules: a <see cref="Parameter"/> only (and always) for quantile_over_time; unwrap required by the
/// sum/avg/min/max/first/last/stddev/stdvar/quantile/rate_counter forms and refused by count/bytes; grouping only on
/// avg/min/max/first/last/stddev/stdvar/quantile.
/// </summary>
internal sealed class RangeAggregationExpr(
    SourceSpan span, RangeOperation operation, double? parameter, LogRangeExpr range, Grouping? grouping) : SampleExpr(span)
{
    public RangeOperation Operation { get; } = operation;

    /// <summary>The quantile of quantile_over_time.</summary>
    public double? Parameter { get; } = parameter;

    public LogRangeExpr Range { get; } = range;

    public Grouping? Grouping { get; } = grouping;
}
