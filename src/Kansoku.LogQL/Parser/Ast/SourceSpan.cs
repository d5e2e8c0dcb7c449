namespace Kansoku.LogQL.Parser.Ast;

/// <summary>Where a node came from in the query text: UTF-16 offsets, <see cref="End"/> exclusive.</summary>
internal readonly record struct SourceSpan(int Start, int End)
{
    public int Length => End - Start;
}
