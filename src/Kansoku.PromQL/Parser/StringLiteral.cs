namespace Kansoku.PromQL.Parser;

/// <summary>A string literal, its escapes already resolved.</summary>
internal sealed class StringLiteral(string value, PositionRange position) : Expr(position)
{
    public string Value { get; } = value;

    public override ValueType Type => ValueType.String;
}
