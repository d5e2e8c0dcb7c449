namespace Kansoku.PromQL.Parser;

/// <summary>A parenthesised expression, kept so the printer writes the parentheses back.</summary>
internal sealed class ParenExpr(Expr expression, PositionRange position) : Expr(position)
{
    public Expr Expression { get; } = expression;

    public override ValueType Type => Expression.Type;
}
