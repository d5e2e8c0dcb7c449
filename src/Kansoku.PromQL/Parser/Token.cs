namespace Kansoku.PromQL.Parser;

/// <summary>One lexer item: its kind and its byte range in the query (for errors, the range runs to the end of input).</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End)
{
    public PositionRange Position => new(Start, End);
}
