namespace Kansoku.LogQL.Parser.Ast;

/// <summary>A whole query: a <see cref="LogSelectorExpr"/> (log query) or a <see cref="SampleExpr"/> (metric query).</summary>
internal abstract class Expr(SourceSpan span) : Node(span);
