namespace Kansoku.LogQL.Parser.Ast;

/// <summary>A label filter predicate (leaf comparisons combined with and/or).</summary>
internal abstract class LabelFilter(SourceSpan span) : Node(span);
