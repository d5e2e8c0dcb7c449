namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// <c>| regexp "re"</c>: named captures become labels. <see cref="Pattern"/> is the Go (RE2) text as written; the
/// parser checked that it compiles (see <see cref="GoRegex"/>) and has at least one valid, unique named capture.
/// </summary>
internal sealed class RegexpParserStage(SourceSpan span, string pattern) : PipelineStage(span)
{
    public string Pattern { get; } = pattern;
}
