namespace Kansoku.LogQL.Engine.Templates;

/// <summary><c>.a.b</c> on the data (<see cref="Variable"/> null), or <c>$x.a</c> on a variable.</summary>
internal sealed class FieldNode(int offset, string? variable, IReadOnlyList<string> fields) : TemplateNode(offset)
{
    public string? Variable { get; } = variable;

    public IReadOnlyList<string> Fields { get; } = fields;
}
