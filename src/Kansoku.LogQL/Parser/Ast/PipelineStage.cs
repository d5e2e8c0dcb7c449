namespace Kansoku.LogQL.Parser.Ast;

/// <summary>One stage of a log pipeline: a line filter, a parser, a label filter, a formatter...</summary>
internal abstract class PipelineStage(SourceSpan span) : Node(span);
