namespace Kansoku.PromQL.Parser;

/// <summary>
/// An experimental duration expression, in seconds, used for ranges, subquery steps and offsets when
/// <see cref="ParserOptions.EnableDurationExpressions"/> is on and the duration is more than a literal. The node is
/// kept as written (for printing, as Prometheus does); when it does not depend on the query the parser also stores its
/// value in the plain <c>TimeSpan</c> field beside it, otherwise (<c>step()</c>, <c>range()</c>) the engine evaluates
/// it with <see cref="Evaluate"/> and that field is zero.
/// </summary>
internal sealed class DurationExpr(DurationOperator op, Expr? left, Expr? right, PositionRange position) : Expr(position)
{
    public DurationOperator Operator { get; } = op;

    /// <summary>Left operand (or first argument of min_of/max_of); null for unary and nullary operators.</summary>
    public Expr? Left { get; } = left;

    /// <summary>Right operand, the operand of <see cref="DurationOperator.Negate"/>, or second argument.</summary>
    public Expr? Right { get; } = right;

    /// <summary>Set when the expression was written in parentheses, so the printer writes them back.</summary>
    public bool Wrapped { get; init; }

    public override ValueType Type => ValueType.Scalar;

    /// <summary>The value in seconds for a query with the given step and range (both zero for instant queries).</summary>
    public double Evaluate(TimeSpan step, TimeSpan range) => Operator switch
    {
        DurationOperator.Step => step.TotalSeconds,
        DurationOperator.Range => range.TotalSeconds,
        DurationOperator.Wrap => Operand(Right, step, range),
        DurationOperator.Negate => -Operand(Right, step, range),
        DurationOperator.Add => Operand(Left, step, range) + Operand(Right, step, range),
        DurationOperator.Sub => Operand(Left, step, range) - Operand(Right, step, range),
        DurationOperator.Mul => Operand(Left, step, range) * Operand(Right, step, range),
        DurationOperator.Div => Operand(Left, step, range) / Operand(Right, step, range),
        DurationOperator.Mod => Operand(Left, step, range) % Operand(Right, step, range),
        DurationOperator.Pow => Math.Pow(Operand(Left, step, range), Operand(Right, step, range)),
        DurationOperator.MinOf => Math.Min(Operand(Left, step, range), Operand(Right, step, range)),
        DurationOperator.MaxOf => Math.Max(Operand(Left, step, range), Operand(Right, step, range)),
        _ => throw new InvalidOperationException($"unknown duration operator {Operator}"),
    };

    private static double Operand(Expr? operand, TimeSpan step, TimeSpan range) => operand switch
    {
        NumberLiteral number => number.Value,
        DurationExpr duration => duration.Evaluate(step, range),
        ParenExpr paren => Operand(paren.Expression, step, range),
        _ => throw new InvalidOperationException("a duration expression holds only numbers and duration expressions"),
    };
}
