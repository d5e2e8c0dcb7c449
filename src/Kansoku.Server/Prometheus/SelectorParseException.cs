namespace Kansoku.Server.Prometheus;

/// <summary>A selector that does not parse, with Prometheus' <c>line:column: parse error: …</c> message (1-based).</summary>
internal sealed class SelectorParseException(int line, int column, string reason)
    : Exception($"{line}:{column}: parse error: {reason}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = reason;
}
