namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| pattern "&lt;ip&gt; - &lt;_&gt;"</c>, already split into literals and captures.</summary>
internal sealed class PatternParserStage(SourceSpan span, LinePattern pattern) : PipelineStage(span)
{
    public LinePattern Pattern { get; } = pattern;
}
