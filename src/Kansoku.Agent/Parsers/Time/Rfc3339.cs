namespace Kansoku.Agent.Parsers.Time;

/// <summary>
/// RFC 3339 / ISO 8601 timestamps over UTF-8 bytes. <see cref="TryParse"/> is the strict form container runtimes write
/// (CRI, docker json-file); <see cref="TryParseIso8601"/> is the lenient form applications write.
/// </summary>
internal static class Rfc3339
{
    /// <summary>
    /// Strict RFC 3339: <c>YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)</c>, the whole span. The fraction may be absent or any
    /// length (digits past nanoseconds are dropped), as the kubelet's lenient reader allows.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long unixNanos) =>
        TryParseCore(text, strict: true, defaultOffsetSeconds: 0, out unixNanos);

    /// <summary>
    /// Lenient ISO 8601: <c>T</c>, <c>t</c> or a space between date and time, <c>-</c> or <c>/</c> in the date,
    /// <c>.</c> or <c>,</c> before the fraction, an optional zone (<c>Z</c>, <c>±hh</c>, <c>±hhmm</c>, <c>±hh:mm</c>,
    /// <c>UTC</c>, <c>GMT</c>, optionally after a space) and a bare date. Without a zone the time is taken to be at
    /// <paramref name="defaultOffsetSeconds"/> east of UTC (0: UTC, the documented default).
    /// </summary>
    public static bool TryParseIso8601(ReadOnlySpan<byte> text, int defaultOffsetSeconds, out long unixNanos) =>
        TryParseCore(text, strict: false, defaultOffsetSeconds, out unixNanos);

    /// <summary>Longest output of <see cref="Format"/>.</summary>
    public const int MaxFormattedLength = 30;

    /// <summary>Writes Go's RFC3339Nano form (fraction without trailing zeros, <c>Z</c>); returns the bytes written.</summary>
    public static int Format(long unixNanos, Span<byte> destination)
    {
        var seconds = Math.DivRem(unixNanos, DateMath.NanosPerSecond, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += DateMath.NanosPerSecond;
        }
        var time = DateTime.UnixEpoch.AddSeconds(seconds);
        var pos = 0;
        Write(destination, ref pos, time.Year, 4);
        destination[pos++] = (byte)'-';
        Write(destination, ref pos, time.Month, 2);
        destination[pos++] = (byte)'-';
        Write(destination, ref pos, time.Day, 2);
        destination[pos++] = (byte)'T';
        Write(destination, ref pos, time.Hour, 2);
        destination[pos++] = (byte)':';
        Write(destination, ref pos, time.Minute, 2);
        destination[pos++] = (byte)':';
        Write(destination, ref pos, time.Second, 2);
        if (nanos != 0)
        {
            var digits = 9;
            while (nanos % 10 == 0)
            {
                nanos /= 10;
                digits--;
            }
            destination[pos++] = (byte)'.';
            Write(destination, ref pos, nanos, digits);
        }
        destination[pos++] = (byte)'Z';
        return pos;
    }

    private static void Write(Span<byte> destination, ref int pos, long value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            destination[pos + i] = (byte)('0' + (value % 10));
            value /= 10;
        }
        pos += width;
    }

    private static bool TryParseCore(ReadOnlySpan<byte> s, bool strict, int defaultOffsetSeconds, out long unixNanos)
    {
        unixNanos = 0;
        if (s.Length < 10 || !DateMath.TryReadFixed(s, 0, 4, out var year) || !DateMath.TryReadFixed(s, 5, 2, out var month)
            || !DateMath.TryReadFixed(s, 8, 2, out var day))
        {
            return false;
        }
        var dateSeparator = s[4];
        if (s[7] != dateSeparator || !(dateSeparator == '-' || (!strict && dateSeparator == '/')))
        {
            return false;
        }
        if (s.Length == 10)
        {
            return !strict && DateMath.TryToUnixNanos(year, month, day, 0, 0, 0, 0, defaultOffsetSeconds, out unixNanos);
        }
        var separator = s[10];
        if (!(separator is (byte)'T' or (byte)'t' || (!strict && separator == ' '))
            || s.Length < 19 || s[13] != ':' || s[16] != ':'
            || !DateMath.TryReadFixed(s, 11, 2, out var hour) || !DateMath.TryReadFixed(s, 14, 2, out var minute)
            || !DateMath.TryReadFixed(s, 17, 2, out var second))
        {
            return false;
        }
        var pos = 19;
        long nanos = 0;
        if (pos < s.Length && (s[pos] == '.' || (!strict && s[pos] == ',')))
        {
            var digits = DateMath.ReadFraction(s, pos + 1, out nanos);
            if (digits == 0)
            {
                return false;
            }
            pos += 1 + digits;
        }
        int offset;
        if (pos == s.Length)
        {
            if (strict)
            {
                return false;
            }
            offset = defaultOffsetSeconds;
        }
        else
        {
            var zone = s[pos..];
            if (!strict && zone[0] == ' ')
            {
                zone = zone[1..];
            }
            if (!(strict ? TryParseStrictZone(zone, out offset) : TryParseZone(zone, out offset)))
            {
                return false;
            }
        }
        return DateMath.TryToUnixNanos(year, month, day, hour, minute, second, nanos, offset, out unixNanos);
    }

    private static bool TryParseStrictZone(ReadOnlySpan<byte> zone, out int offsetSeconds)
    {
        offsetSeconds = 0;
        if (zone.Length == 1)
        {
            return zone[0] is (byte)'Z' or (byte)'z';
        }
        return zone.Length == 6 && zone[3] == ':' && TryParseNumericZone(zone, out offsetSeconds);
    }

    /// <summary>
    /// A whole zone designator: <c>Z</c>, <c>UTC</c>, <c>GMT</c>, <c>±hh</c>, <c>±hhmm</c> or <c>±hh:mm</c>.
    /// </summary>
    public static bool TryParseZone(ReadOnlySpan<byte> zone, out int offsetSeconds)
    {
        offsetSeconds = 0;
        if (zone.Length == 1 && zone[0] is (byte)'Z' or (byte)'z')
        {
            return true;
        }
        if (zone.SequenceEqual("UTC"u8) || zone.SequenceEqual("GMT"u8))
        {
            return true;
        }
        return TryParseNumericZone(zone, out offsetSeconds);
    }

    /// <summary><c>±hh</c>, <c>±hhmm</c> or <c>±hh:mm</c>, the whole span.</summary>
    public static bool TryParseNumericZone(ReadOnlySpan<byte> zone, out int offsetSeconds)
    {
        offsetSeconds = 0;
        if (zone.Length < 3 || zone[0] is not ((byte)'+' or (byte)'-') || !DateMath.TryReadFixed(zone, 1, 2, out var hours))
        {
            return false;
        }
        var minutes = 0;
        var ok = zone.Length switch
        {
            3 => true,
            5 => DateMath.TryReadFixed(zone, 3, 2, out minutes),
            6 => zone[3] == ':' && DateMath.TryReadFixed(zone, 4, 2, out minutes),
            _ => false,
        };
        if (!ok || hours > 23 || minutes > 59)
        {
            return false;
        }
        offsetSeconds = ((hours * 60) + minutes) * 60 * (zone[0] == '-' ? -1 : 1);
        return true;
    }
}
