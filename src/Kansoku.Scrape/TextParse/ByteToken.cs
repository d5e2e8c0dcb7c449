namespace Kansoku.Scrape.TextParse;

/// <summary>
/// A stretch of the scrape body: a name or a value as written, without its quotes, and whether it holds a backslash
/// escape (so only escaped tokens pay for unescaping).
/// </summary>
internal readonly record struct ByteToken(int Start, int Length, bool Escaped)
{
    public static ByteToken None { get; } = new(-1, 0, false);

    public bool IsPresent => Start >= 0;

    public int End => Start + Length;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> body) => body.Slice(Start, Length);
}

/// <summary>One <c>name="value"</c> pair of a series or an exemplar, as positions in the body.</summary>
internal readonly record struct LabelToken(ByteToken Name, ByteToken Value);
