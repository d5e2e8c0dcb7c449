namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| json</c>: all fields become labels, or only the <see cref="Extractions"/> when any are given.</summary>
internal sealed class JsonParserStage(SourceSpan span, IReadOnlyList<LabelExtraction> extractions) : PipelineStage(span)
{
    public IReadOnlyList<LabelExtraction> Extractions { get; } = extractions;
}
