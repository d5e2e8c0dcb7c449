namespace Kansoku.PromQL.Parser;

/// <summary>
/// A query that is not valid PromQL. <see cref="Reason"/> is Prometheus' message text; <see cref="Position"/> the byte
/// range it refers to; <see cref="Line"/> and <see cref="Column"/> are 1-based as Prometheus' ParseErr prints them (the
/// column counts bytes from the last line break). <see cref="Exception.Message"/> is the API form, <c>1:5: parse error: ...</c>.
/// </summary>
internal sealed class PromQLParseException : Exception
{
    public PromQLParseException()
        : this("invalid query")
    {
    }

    public PromQLParseException(string message)
        : base(message)
    {
        Reason = message;
        Line = 1;
        Column = 1;
    }

    public PromQLParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Line = 1;
        Column = 1;
    }

    private PromQLParseException(string reason, PositionRange position, int line, int column)
        : base(Format(reason, line, column))
    {
        Reason = reason;
        Position = position;
        Line = line;
        Column = column;
    }

    public string Reason { get; }

    public PositionRange Position { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The message as Prometheus' API shows it: <c>line:column: parse error: reason</c>.</summary>
    public static string Format(string reason, int line, int column) => $"{line}:{column}: parse error: {reason}";

    /// <summary>An error about <paramref name="position"/> of the UTF-8 query text.</summary>
    public static PromQLParseException At(ReadOnlySpan<byte> query, PositionRange position, string reason)
    {
        var start = Math.Clamp(position.Start, 0, query.Length);
        var line = 1;
        var lastLineBreak = -1;
        for (var i = 0; i < start; i++)
        {
            if (query[i] == (byte)'\n')
            {
                line++;
                lastLineBreak = i;
            }
        }
        return new PromQLParseException(reason, position, line, start - lastLineBreak);
    }
}
