namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| drop a, b="v"</c>: removes the listed labels.</summary>
internal sealed class DropLabelsStage(SourceSpan span, IReadOnlyList<NamedLabelMatcher> labels) : PipelineStage(span)
{
    public IReadOnlyList<NamedLabelMatcher> Labels { get; } = labels;
}
