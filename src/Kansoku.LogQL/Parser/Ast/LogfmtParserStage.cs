namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| logfmt [--strict] [--keep-empty] [extractions]</c>.</summary>
internal sealed class LogfmtParserStage(SourceSpan span, bool strict, bool keepEmpty, IReadOnlyList<LabelExtraction> extractions)
    : PipelineStage(span)
{
    /// <summary><c>--strict</c>: stop at the first malformed pair and set <c>__error__</c>.</summary>
    public bool Strict { get; } = strict;

    /// <summary><c>--keep-empty</c>: keep standalone keys as labels with an empty value.</summary>
    public bool KeepEmpty { get; } = keepEmpty;

    public IReadOnlyList<LabelExtraction> Extractions { get; } = extractions;
}
