namespace Kansoku.LogQL.Parser;

/// <summary>A token: its kind, where it is (<see cref="End"/> exclusive) and its decoded value, if any.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End)
{
    /// <summary>The decoded string of a <see cref="TokenKind.String"/>, the text of a <see cref="TokenKind.Flag"/>.</summary>
    public string? Text { get; init; }

    public double Number { get; init; }

    /// <summary>The value of a <see cref="TokenKind.Duration"/> or <see cref="TokenKind.Range"/>.</summary>
    public TimeSpan Duration { get; init; }

    public ulong Bytes { get; init; }
}
