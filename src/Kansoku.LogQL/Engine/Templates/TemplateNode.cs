namespace Kansoku.LogQL.Engine.Templates;

/// <summary>A node of a parsed template; <see cref="Offset"/> locates it in the text for error messages.</summary>
internal abstract class TemplateNode(int offset)
{
    public int Offset { get; } = offset;
}
