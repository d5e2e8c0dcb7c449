namespace Kansoku.LogQL.Engine.Templates;

/// <summary>An operand, or a function and its arguments.</summary>
internal sealed class CommandNode(int offset, IReadOnlyList<TemplateNode> arguments) : TemplateNode(offset)
{
    public IReadOnlyList<TemplateNode> Arguments { get; } = arguments;
}
