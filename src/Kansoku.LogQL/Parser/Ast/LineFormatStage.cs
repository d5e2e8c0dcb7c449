namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| line_format "{{.x}}"</c>: replaces the line with the rendered Go text/template.</summary>
internal sealed class LineFormatStage(SourceSpan span, string template) : PipelineStage(span)
{
    public string Template { get; } = template;
}
