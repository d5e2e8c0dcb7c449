namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| decolorize</c>: strips ANSI color sequences from the line.</summary>
internal sealed class DecolorizeStage(SourceSpan span) : PipelineStage(span);
