namespace Kansoku.LogQL.Engine.Templates;

/// <summary><c>{{ pipeline }}</c>: prints the pipeline's value unless it declares variables.</summary>
internal sealed class ActionNode(int offset, PipeNode pipe) : TemplateNode(offset)
{
    public PipeNode Pipe { get; } = pipe;
}
