namespace Kansoku.PromQL.Parser;

/// <summary>The aggregation operators; <see cref="Aggregations"/> has their names and parameter types.</summary>
internal enum Aggregation
{
    Sum,
    Avg,
    Count,
    Min,
    Max,
    Group,
    Stddev,
    Stdvar,
    Topk,
    Bottomk,
    Quantile,
    CountValues,
    Limitk,
    LimitRatio,
}
