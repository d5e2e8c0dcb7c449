namespace Kansoku.Agent.Parsers.Time;

/// <summary>
/// Timestamps recognised without configuration: ISO 8601 in its common spellings, and Unix epoch numbers in seconds,
/// milliseconds, microseconds or nanoseconds (told apart by magnitude), optionally with a fraction.
/// </summary>
/// <remarks>
/// A time without a zone is read at the default offset, UTC unless the parser sets Time_Offset: applications that log
/// local time without saying so are the usual reason for "shifted" times, and a fixed, documented rule is easier to
/// correct for than a guess based on the agent's own zone.
/// </remarks>
internal static class TimestampDetector
{
    // Epoch values are told apart by size: below 1e11 is seconds (until the year 5138), below 1e14 milliseconds,
    // below 1e17 microseconds, anything larger nanoseconds.
    private const ulong MaxSeconds = 100_000_000_000UL;
    private const ulong MaxMillis = 100_000_000_000_000UL;
    private const ulong MaxMicros = 100_000_000_000_000_000UL;

    public static bool TryParse(ReadOnlySpan<byte> text, int defaultOffsetSeconds, out long unixNanos)
    {
        text = text.Trim((byte)' ');
        if (text.Length >= 10 && text[4] is (byte)'-' or (byte)'/')
        {
            return Rfc3339.TryParseIso8601(text, defaultOffsetSeconds, out unixNanos);
        }
        return TryParseEpoch(text, out unixNanos);
    }

    /// <summary>An unsigned decimal number, optionally with a fraction, as a Unix epoch value of guessed unit.</summary>
    public static bool TryParseEpoch(ReadOnlySpan<byte> text, out long unixNanos)
    {
        unixNanos = 0;
        ulong whole = 0;
        var pos = 0;
        while (pos < text.Length && DateMath.IsDigit(text[pos]))
        {
            if (pos == 19)
            {
                return false;
            }
            whole = (whole * 10) + (ulong)(text[pos] - '0');
            pos++;
        }
        if (pos == 0)
        {
            return false;
        }
        long unit = whole < MaxSeconds ? DateMath.NanosPerSecond : whole < MaxMillis ? 1_000_000 : whole < MaxMicros ? 1_000 : 1;
        long fraction = 0;
        if (pos < text.Length)
        {
            if (text[pos] != '.')
            {
                return false;
            }
            var digits = DateMath.ReadFraction(text, pos + 1, out var nanosOfUnit);
            if (digits == 0 || pos + 1 + digits != text.Length)
            {
                return false;
            }
            // nanosOfUnit is the fraction scaled to 1e9; rescale to the unit's size.
            fraction = nanosOfUnit / (DateMath.NanosPerSecond / unit);
        }
        if (whole > (ulong)(long.MaxValue / unit) - 1)
        {
            return false;
        }
        unixNanos = ((long)whole * unit) + fraction;
        return true;
    }
}
