using System.Globalization;
using System.Text;

namespace Kansoku.Scrape.Config;

/// <summary>
/// Prometheus durations (common/model.Duration): units y, w, d, h, m, s, ms, each at most once and in that order
/// (<c>1h30m</c>, <c>90d</c>, <c>15s</c>), or <c>0</c>. A year is 365 days; a week 7.
/// </summary>
internal static class PromDuration
{
    private static readonly (string Unit, long Millis)[] s_units =
    [
        ("y", 365L * 24 * 3600 * 1000),
        ("w", 7L * 24 * 3600 * 1000),
        ("d", 24L * 3600 * 1000),
        ("h", 3600L * 1000),
        ("m", 60L * 1000),
        ("s", 1000),
        ("ms", 1),
    ];

    public static bool TryParse(string text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        if (text.Length == 0)
        {
            error = "empty duration string";
            return false;
        }
        if (text == "0")
        {
            return true;
        }
        long total = 0;
        var next = 0;
        var position = 0;
        while (position < text.Length)
        {
            var digitsEnd = position;
            while (digitsEnd < text.Length && char.IsAsciiDigit(text[digitsEnd]))
            {
                digitsEnd++;
            }
            var unitEnd = digitsEnd;
            while (unitEnd < text.Length && char.IsAsciiLetter(text[unitEnd]))
            {
                unitEnd++;
            }
            var index = UnitIndex(text.AsSpan(digitsEnd, unitEnd - digitsEnd), next);
            if (digitsEnd == position || index < 0
                || !long.TryParse(text.AsSpan(position, digitsEnd - position), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                error = $"not a valid duration string: \"{text}\"";
                return false;
            }
            var millis = s_units[index].Millis;
            if (count > (long.MaxValue / TimeSpan.TicksPerMillisecond - total) / millis)
            {
                error = $"duration out of range: \"{text}\"";
                return false;
            }
            total += count * millis;
            next = index + 1;
            position = unitEnd;
        }
        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }

    /// <summary>The index of <paramref name="unit"/> at or after <paramref name="first"/>: units must come largest first.</summary>
    private static int UnitIndex(ReadOnlySpan<char> unit, int first)
    {
        for (var i = first; i < s_units.Length; i++)
        {
            if (unit.SequenceEqual(s_units[i].Unit))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Prometheus' spelling: <c>1m</c>, <c>1h30m</c>, <c>90d</c> (years and weeks only when exact), <c>0s</c> for zero.</summary>
    public static string Format(TimeSpan duration)
    {
        var millis = (long)duration.TotalMilliseconds;
        if (millis == 0)
        {
            return "0s";
        }
        var text = new StringBuilder();
        foreach (var (unit, size) in s_units)
        {
            var exactOnly = unit is "y" or "w";
            if (exactOnly && millis % size != 0)
            {
                continue;
            }
            var count = millis / size;
            if (count > 0)
            {
                text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                millis -= count * size;
            }
        }
        return text.ToString();
    }
}
