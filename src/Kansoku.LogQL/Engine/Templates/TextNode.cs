namespace Kansoku.LogQL.Engine.Templates;

/// <summary>Literal text between actions.</summary>
internal sealed class TextNode(int offset, string text) : TemplateNode(offset)
{
    public string Text { get; } = text;
}
