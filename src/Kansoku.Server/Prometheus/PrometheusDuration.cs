namespace Kansoku.Server.Prometheus;

/// <summary>
/// Prometheus' duration syntax (common/model <c>ParseDuration</c>): one or more <c>&lt;integer&gt;&lt;unit&gt;</c> with units
/// y, w, d, h, m, s, ms, each at most once and from largest to smallest (<c>1h30m</c>); a bare <c>0</c> is allowed.
/// A year is 365 days, a week 7. Negative durations do not exist here.
/// </summary>
internal static class PrometheusDuration
{
    private static readonly long s_maxMilliseconds = long.MaxValue / 1_000_000; // what fits Go's time.Duration in nanoseconds

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why in Prometheus' words.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long milliseconds, out string? error)
    {
        milliseconds = 0;
        error = null;
        if (text.SequenceEqual("0"))
        {
            return true;
        }
        if (text.IsEmpty)
        {
            error = "empty duration string";
            return false;
        }
        var rest = text;
        var lastUnitRank = 0;
        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }
            var unitLength = 0;
            while (digits + unitLength < rest.Length && !char.IsAsciiDigit(rest[digits + unitLength]))
            {
                unitLength++;
            }
            if (digits == 0 || unitLength == 0)
            {
                error = $"not a valid duration string: {GoQuote.Quote(text.ToString())}";
                return false;
            }
            var (rank, unitMilliseconds) = rest.Slice(digits, unitLength) switch
            {
                "y" => (1, 365L * 24 * 3600 * 1000),
                "w" => (2, 7L * 24 * 3600 * 1000),
                "d" => (3, 24L * 3600 * 1000),
                "h" => (4, 3600L * 1000),
                "m" => (5, 60L * 1000),
                "s" => (6, 1000L),
                "ms" => (7, 1L),
                _ => (0, 0L),
            };
            if (rank == 0)
            {
                error = $"unknown unit {GoQuote.Quote(rest.Slice(digits, unitLength).ToString())} in duration {GoQuote.Quote(text.ToString())}";
                return false;
            }
            if (rank <= lastUnitRank)
            {
                error = $"not a valid duration string: {GoQuote.Quote(text.ToString())}";
                return false;
            }
            lastUnitRank = rank;
            if (!long.TryParse(rest[..digits], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
                || count > s_maxMilliseconds / unitMilliseconds || milliseconds + count * unitMilliseconds > s_maxMilliseconds)
            {
                error = "duration out of range";
                return false;
            }
            milliseconds += count * unitMilliseconds;
            rest = rest[(digits + unitLength)..];
        }
        return true;
    }

    /// <summary>
    /// Prometheus' spelling of a duration (<c>model.Duration.String</c>): <c>1m30s</c>, <c>15s</c>, <c>0s</c>; years and
    /// weeks only when they divide it exactly, since <c>90d</c> reads better than <c>12w6d</c>.
    /// </summary>
    public static string Format(long milliseconds)
    {
        if (milliseconds == 0)
        {
            return "0s";
        }
        var text = new System.Text.StringBuilder();
        var rest = milliseconds;
        Append(365L * 24 * 3600 * 1000, "y", exactOnly: true);
        Append(7L * 24 * 3600 * 1000, "w", exactOnly: true);
        Append(24L * 3600 * 1000, "d", exactOnly: false);
        Append(3600L * 1000, "h", exactOnly: false);
        Append(60L * 1000, "m", exactOnly: false);
        Append(1000, "s", exactOnly: false);
        Append(1, "ms", exactOnly: false);
        return text.ToString();

        void Append(long unit, string name, bool exactOnly)
        {
            if (exactOnly && rest % unit != 0)
            {
                return;
            }
            var count = rest / unit;
            if (count > 0)
            {
                text.Append(count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(name);
                rest -= count * unit;
            }
        }
    }
}
