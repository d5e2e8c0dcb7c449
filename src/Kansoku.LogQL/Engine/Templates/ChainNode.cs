namespace Kansoku.LogQL.Engine.Templates;

/// <summary><c>(pipeline).field</c>: fields of a parenthesized value.</summary>
internal sealed class ChainNode(int offset, TemplateNode operand, IReadOnlyList<string> fields) : TemplateNode(offset)
{
    public TemplateNode Operand { get; } = operand;

    public IReadOnlyList<string> Fields { get; } = fields;
}
