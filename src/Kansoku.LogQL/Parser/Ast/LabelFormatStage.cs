namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| label_format a=b, c="{{.d}}"</c>; each destination name appears once (checked by the parser).</summary>
internal sealed class LabelFormatStage(SourceSpan span, IReadOnlyList<LabelFormatItem> items) : PipelineStage(span)
{
    public IReadOnlyList<LabelFormatItem> Items { get; } = items;
}
