namespace Kansoku.PromQL.Parser;

/// <summary><c>-x</c> or <c>+x</c> over a scalar or instant vector.</summary>
internal sealed class UnaryExpr(UnaryOperator op, Expr expression, PositionRange position) : Expr(position)
{
    public UnaryOperator Operator { get; } = op;

    public Expr Expression { get; } = expression;

    public override ValueType Type => Expression.Type;
}
