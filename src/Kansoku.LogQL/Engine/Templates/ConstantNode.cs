namespace Kansoku.LogQL.Engine.Templates;

/// <summary>A string, number (long or double), bool or nil constant.</summary>
internal sealed class ConstantNode(int offset, object? value) : TemplateNode(offset)
{
    public object? Value { get; } = value;
}
