namespace Kansoku.LogQL.Parser.Ast;

/// <summary>A node of the LogQL syntax tree. Nodes are immutable; <see cref="ToString"/> prints canonical LogQL.</summary>
internal abstract class Node(SourceSpan span)
{
    public SourceSpan Span { get; } = span;

    public override string ToString() => Printer.Print(this);
}
