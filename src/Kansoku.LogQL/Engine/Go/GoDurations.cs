namespace Kansoku.LogQL.Engine.Go;

/// <summary>
/// Go's <c>time.ParseDuration</c>: what Loki applies to label values (<c>| latency &gt; 250ms</c>,
/// <c>unwrap duration(x)</c>). Stricter than query durations: units ns, us/µs, ms, s, m, h only (no d, w, y).
/// </summary>
internal static class GoDurations
{
    private const long Nanosecond = 1;
    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;
    private const long Second = 1_000_000_000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;

    /// <summary>Parses <paramref name="text"/> into nanoseconds; on failure <paramref name="error"/> is Go's message.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long nanoseconds, out string? error)
    {
        nanoseconds = 0;
        error = null;
        var s = text;
        var negative = false;
        if (!s.IsEmpty && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
        {
            return true;
        }
        if (s.IsEmpty)
        {
            return Invalid(text, out error);
        }
        decimal total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                return Invalid(text, out error);
            }
            var integerEnd = 0;
            while (integerEnd < s.Length && char.IsAsciiDigit(s[integerEnd]))
            {
                integerEnd++;
            }
            var integerPart = s[..integerEnd];
            s = s[integerEnd..];
            var fraction = ReadOnlySpan<char>.Empty;
            var hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var fractionEnd = 0;
                while (fractionEnd < s.Length && char.IsAsciiDigit(s[fractionEnd]))
                {
                    fractionEnd++;
                }
                fraction = s[..fractionEnd];
                hasFraction = fractionEnd > 0;
                s = s[fractionEnd..];
            }
            if (integerPart.IsEmpty && !hasFraction)
            {
                return Invalid(text, out error);
            }
            var unitEnd = 0;
            while (unitEnd < s.Length && s[unitEnd] != '.' && !char.IsAsciiDigit(s[unitEnd]))
            {
                unitEnd++;
            }
            if (unitEnd == 0)
            {
                error = $"time: missing unit in duration {GoStrings.Quote(text.ToString())}";
                return false;
            }
            var unit = UnitNanos(s[..unitEnd]);
            if (unit == 0)
            {
                error = $"time: unknown unit {GoStrings.Quote(s[..unitEnd].ToString())} in duration {GoStrings.Quote(text.ToString())}";
                return false;
            }
            s = s[unitEnd..];
            try
            {
                total += Digits(integerPart) * unit;
                if (hasFraction)
                {
                    // Go truncates the fraction's contribution to whole nanoseconds per component.
                    total += decimal.Truncate(Digits(fraction) * unit / Pow10(fraction.Length));
                }
            }
            catch (OverflowException)
            {
                return Invalid(text, out error);
            }
            if (total > long.MaxValue)
            {
                return Invalid(text, out error);
            }
        }
        nanoseconds = negative ? -(long)total : (long)total;
        return true;
    }

    /// <summary>Go's <c>Duration.Seconds()</c>.</summary>
    public static double Seconds(long nanoseconds) =>
        nanoseconds / Second + (double)(nanoseconds % Second) / 1e9;

    private static bool Invalid(ReadOnlySpan<char> text, out string error)
    {
        error = $"time: invalid duration {GoStrings.Quote(text.ToString())}";
        return false;
    }

    private static decimal Digits(ReadOnlySpan<char> digits)
    {
        decimal value = 0;
        // Go keeps at most the precision that fits; decimal holds 28 digits, more than any valid duration needs.
        foreach (var c in digits.Length > 27 ? digits[..27] : digits)
        {
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static decimal Pow10(int count)
    {
        decimal value = 1;
        for (var i = 0; i < Math.Min(count, 27); i++)
        {
            value *= 10;
        }
        return value;
    }

    private static long UnitNanos(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => Nanosecond,
        "us" or "µs" or "μs" => Microsecond,
        "ms" => Millisecond,
        "s" => Second,
        "m" => Minute,
        "h" => Hour,
        _ => 0,
    };
}
