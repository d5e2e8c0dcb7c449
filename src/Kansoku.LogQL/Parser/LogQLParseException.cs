namespace Kansoku.LogQL.Parser;

/// <summary>
/// A query that is not valid LogQL. The message reads like Loki's (<c>parse error at line 1, col 15: syntax error:
/// unexpected $end, expecting STRING or ip</c>) so that API clients see familiar errors; <see cref="Line"/> and
/// <see cref="Column"/> are 1-based, <see cref="Offset"/> is the 0-based UTF-16 index into the query.
/// </summary>
internal sealed class LogQLParseException : Exception
{
    public LogQLParseException()
        : this("invalid query", 0, 1, 1)
    {
    }

    public LogQLParseException(string message)
        : this(message, 0, 1, 1)
    {
    }

    public LogQLParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Line = 1;
        Column = 1;
    }

    public LogQLParseException(string reason, int offset, int line, int column)
        : base($"parse error at line {line}, col {column}: {reason}")
    {
        Reason = reason;
        Offset = offset;
        Line = line;
        Column = column;
    }

    /// <summary>The message without the position prefix, e.g. <c>syntax error: unexpected IDENTIFIER</c>.</summary>
    public string Reason { get; }

    public int Offset { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>An error at <paramref name="offset"/> of <paramref name="source"/>, with its line and column.</summary>
    public static LogQLParseException At(ReadOnlySpan<char> source, int offset, string reason)
    {
        offset = Math.Clamp(offset, 0, source.Length);
        var line = 1;
        var column = 1;
        for (var i = 0; i < offset; i++)
        {
            var c = source[i];
            if (c == '\n')
            {
                line++;
                column = 1;
            }
            else if (!char.IsLowSurrogate(c))
            {
                // Columns count characters (runes), as Go's scanner does, not UTF-16 units.
                column++;
            }
        }
        return new LogQLParseException(reason, offset, line, column);
    }
}
