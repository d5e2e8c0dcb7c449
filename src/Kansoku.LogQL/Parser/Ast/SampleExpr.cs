namespace Kansoku.LogQL.Parser.Ast;

/// <summary>A metric expression: evaluates to a vector of samples (or a scalar, for literals).</summary>
internal abstract class SampleExpr(SourceSpan span) : Expr(span);
