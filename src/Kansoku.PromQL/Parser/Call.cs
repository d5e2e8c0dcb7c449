namespace Kansoku.PromQL.Parser;

/// <summary>A function call; <see cref="Function"/> is the signature from <see cref="Functions"/>.</summary>
internal sealed class Call(Function function, IReadOnlyList<Expr> arguments, PositionRange position) : Expr(position)
{
    public Function Function { get; } = function;

    public IReadOnlyList<Expr> Arguments { get; } = arguments;

    public override ValueType Type => Function.ReturnType;
}
