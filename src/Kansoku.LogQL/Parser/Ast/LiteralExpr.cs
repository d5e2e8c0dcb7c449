namespace Kansoku.LogQL.Parser.Ast;

/// <summary>A number such as <c>5</c>, <c>-1.5</c> or <c>1e3</c> (the sign belongs to the literal, as in Loki).</summary>
internal sealed class LiteralExpr(SourceSpan span, double value) : SampleExpr(span)
{
    public double Value { get; } = value;
}
