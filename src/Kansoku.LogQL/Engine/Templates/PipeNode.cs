namespace Kansoku.LogQL.Engine.Templates;

/// <summary><c>[$x :=] cmd | cmd ...</c>: each command's result is the last argument of the next.</summary>
internal sealed class PipeNode(int offset, IReadOnlyList<string> declarations, bool isAssign, bool isRange, IReadOnlyList<CommandNode> commands)
    : TemplateNode(offset)
{
    /// <summary>The pipe of a <c>{{range}}</c>, whose declarations bind per element rather than to its value.</summary>
    public bool IsRange { get; } = isRange;

    public IReadOnlyList<string> Declarations { get; } = declarations;

    /// <summary><c>$x = ...</c> (assign to an existing variable) rather than <c>$x := ...</c>.</summary>
    public bool IsAssign { get; } = isAssign;

    public IReadOnlyList<CommandNode> Commands { get; } = commands;
}
