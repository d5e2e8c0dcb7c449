using System.Globalization;
using System.Text;

namespace Kansoku.PromQL.Parser;

/// <summary>Prometheus' duration syntax (model.ParseDuration / model.Duration.String): <c>1y2w3d4h5m6s7ms</c>.</summary>
internal static class Durations
{
    private static readonly (string Unit, long Milliseconds)[] s_units =
    [
        ("y", 365L * 24 * 3600 * 1000), ("w", 7L * 24 * 3600 * 1000), ("d", 24L * 3600 * 1000), ("h", 3600L * 1000),
        ("m", 60L * 1000), ("s", 1000), ("ms", 1),
    ];

    /// <summary>Parses a duration; on failure returns false with Prometheus' message.</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        if (text == "0")
        {
            return true;
        }
        if (text.Length == 0)
        {
            error = "empty duration string";
            return false;
        }
        var invalid = "not a valid duration string: " + StringLiterals.Quote(text);
        ulong nanoseconds = 0;
        var lastUnit = -1;
        var i = 0;
        while (i < text.Length)
        {
            var digitsStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == digitsStart
                || !ulong.TryParse(text.AsSpan(digitsStart, i - digitsStart), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                error = invalid;
                return false;
            }
            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == unitStart)
            {
                error = invalid;
                return false;
            }
            var unit = text[unitStart..i];
            var index = Array.FindIndex(s_units, u => u.Unit == unit);
            if (index < 0)
            {
                error = "unknown unit " + StringLiterals.Quote(unit) + " in duration " + StringLiterals.Quote(text);
                return false;
            }
            if (index <= lastUnit)
            {
                error = invalid;
                return false;
            }
            lastUnit = index;
            var multiplier = (ulong)s_units[index].Milliseconds * 1_000_000;
            if (value > (1UL << 63) / multiplier)
            {
                error = "duration out of range";
                return false;
            }
            nanoseconds += value * multiplier;
            if (nanoseconds > long.MaxValue)
            {
                error = "duration out of range";
                return false;
            }
        }
        duration = TimeSpan.FromTicks((long)(nanoseconds / 100));
        return true;
    }

    /// <summary>The duration as Prometheus prints it: largest units first, years and weeks only when exact, "0s" for zero.</summary>
    public static string Format(TimeSpan duration)
    {
        var milliseconds = (long)duration.TotalMilliseconds;
        if (milliseconds == 0)
        {
            return "0s";
        }
        var text = new StringBuilder();
        if (milliseconds < 0)
        {
            text.Append('-');
            milliseconds = -milliseconds;
        }
        for (var i = 0; i < s_units.Length; i++)
        {
            var (unit, size) = s_units[i];
            var exactOnly = i < 2;
            if (exactOnly && milliseconds % size != 0)
            {
                continue;
            }
            var count = milliseconds / size;
            if (count > 0)
            {
                text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                milliseconds -= count * size;
            }
        }
        return text.ToString();
    }
}
