namespace Kansoku.Agent.Parsers.Time;

/// <summary>
/// Reads a parser's time field: with Time_Format through <see cref="StrptimeFormat"/>, otherwise through
/// <see cref="TimestampDetector"/>. Time_Offset applies to times that carry no zone.
/// </summary>
internal sealed class TimeFieldParser
{
    public TimeFieldParser(StrptimeFormat? format, int offsetSeconds)
    {
        Format = format;
        OffsetSeconds = offsetSeconds;
    }

    public static TimeFieldParser Auto { get; } = new(null, 0);

    public StrptimeFormat? Format { get; }

    public int OffsetSeconds { get; }

    public bool TryParse(ReadOnlySpan<byte> value, out long unixNanos) =>
        Format is null
            ? TimestampDetector.TryParse(value, OffsetSeconds, out unixNanos)
            : Format.TryParse(value, OffsetSeconds, out unixNanos);
}
