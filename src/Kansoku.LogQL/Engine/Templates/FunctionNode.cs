namespace Kansoku.LogQL.Engine.Templates;

/// <summary>A function name in a command.</summary>
internal sealed class FunctionNode(int offset, string name) : TemplateNode(offset)
{
    public string Name { get; } = name;
}
