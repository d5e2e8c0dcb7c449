namespace Kansoku.LogQL.Parser.Ast;

/// <summary>The range aggregation functions (<c>xxx_over_time</c>, <c>rate</c>...).</summary>
internal enum RangeOperation
{
    CountOverTime,
    Rate,
    RateCounter,
    BytesOverTime,
    BytesRate,
    AbsentOverTime,
    SumOverTime,
    AvgOverTime,
    MinOverTime,
    MaxOverTime,
    FirstOverTime,
    LastOverTime,
    StddevOverTime,
    StdvarOverTime,
    QuantileOverTime,
}
