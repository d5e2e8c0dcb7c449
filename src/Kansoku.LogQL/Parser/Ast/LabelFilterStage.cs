namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| status &gt;= 500 and method="GET"</c>: keeps entries whose labels satisfy <see cref="Filter"/>.</summary>
internal sealed class LabelFilterStage(SourceSpan span, LabelFilter filter) : PipelineStage(span)
{
    public LabelFilter Filter { get; } = filter;
}
