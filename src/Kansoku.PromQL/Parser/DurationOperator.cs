namespace Kansoku.PromQL.Parser;

/// <summary>The operations of experimental duration expressions (<c>[5m+step()]</c>, <c>offset min_of(1m, step())</c>).</summary>
internal enum DurationOperator
{
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    /// <summary>Unary minus of <see cref="DurationExpr.Right"/>.</summary>
    Negate,
    /// <summary>A parenthesised operand, <see cref="DurationExpr.Right"/>, kept for printing.</summary>
    Wrap,
    /// <summary><c>step()</c>: the query's step (zero for instant queries).</summary>
    Step,
    /// <summary><c>range()</c>: the query's end minus start.</summary>
    Range,
    /// <summary><c>min_of(a, b)</c></summary>
    MinOf,
    /// <summary><c>max_of(a, b)</c></summary>
    MaxOf,
}
