namespace Kansoku.PromQL.Parser;

/// <summary>
/// <c>lhs op rhs</c>. <see cref="Matching"/> is set when both sides are instant vectors (null otherwise, as in
/// Prometheus); <see cref="ReturnBool"/> is the <c>bool</c> modifier of comparisons.
/// </summary>
internal sealed class BinaryExpr(BinaryOperator op, Expr left, Expr right, VectorMatching? matching, bool returnBool)
    : Expr(PositionRange.Merge(left.Position, right.Position))
{
    public BinaryOperator Operator { get; } = op;

    public Expr Left { get; } = left;

    public Expr Right { get; } = right;

    /// <summary>Null unless both operands are instant vectors (the type check clears it otherwise, as Prometheus does).</summary>
    public VectorMatching? Matching { get; set; } = matching;

    public bool ReturnBool { get; } = returnBool;

    public override ValueType Type =>
        Left.Type == ValueType.Scalar && Right.Type == ValueType.Scalar ? ValueType.Scalar : ValueType.Vector;
}
