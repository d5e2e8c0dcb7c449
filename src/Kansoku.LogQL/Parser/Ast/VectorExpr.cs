namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>vector(1)</c>: one series without labels at every step.</summary>
internal sealed class VectorExpr(SourceSpan span, double value) : SampleExpr(span)
{
    public double Value { get; } = value;
}
