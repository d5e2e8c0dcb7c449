namespace Kansoku.LogQL.Engine.Templates;

/// <summary>A sequence of text and actions.</summary>
internal sealed class ListNode(int offset) : TemplateNode(offset)
{
    public List<TemplateNode> Nodes { get; } = [];
}
