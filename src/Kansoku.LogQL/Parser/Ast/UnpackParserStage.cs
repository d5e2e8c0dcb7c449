namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>| unpack</c>: JSON fields become labels and a <c>_entry</c> field replaces the line.</summary>
internal sealed class UnpackParserStage(SourceSpan span) : PipelineStage(span);
