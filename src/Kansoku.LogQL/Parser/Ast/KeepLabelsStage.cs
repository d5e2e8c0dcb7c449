namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| keep a, b="v"</c>: removes every label but the listed ones.</summary>
internal sealed class KeepLabelsStage(SourceSpan span, IReadOnlyList<NamedLabelMatcher> labels) : PipelineStage(span)
{
    public IReadOnlyList<NamedLabelMatcher> Labels { get; } = labels;
}
