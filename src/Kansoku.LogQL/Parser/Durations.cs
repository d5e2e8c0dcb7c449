using System.Globalization;
using System.Text;

namespace Kansoku.LogQL.Parser;

/// <summary>
/// Durations as LogQL writes them. Loki accepts Prometheus durations (<c>1h30m</c>, <c>5d</c>, <c>1w</c>, <c>1y</c>) and
/// falls back to Go's (<c>1.5h</c>, <c>300us</c>, <c>10ns</c>); this accepts the union of both: any sequence of
/// <c>number unit</c> with units y (365d), w, d, h, m, s, ms, us/µs, ns and decimal fractions. Values are truncated to
/// TimeSpan's 100 ns ticks.
/// </summary>
internal static class Durations
{
    private const decimal NanosPerTick = 100m;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why, in Loki's words.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, bool allowSign, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        var i = 0;
        var negative = false;
        if (allowSign && text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            i = 1;
        }
        if (i == text.Length)
        {
            error = $"not a valid duration string: \"{text}\"";
            return false;
        }
        if (text[i..] is "0")
        {
            return true;
        }
        decimal nanos = 0;
        while (i < text.Length)
        {
            var numberStart = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }
            if (!decimal.TryParse(text[numberStart..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"not a valid duration string: \"{text}\"";
                return false;
            }
            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.')
            {
                i++;
            }
            var unit = text[unitStart..i];
            if (unit.IsEmpty)
            {
                error = $"missing unit in duration \"{text}\"";
                return false;
            }
            var perUnit = UnitNanos(unit);
            if (perUnit == 0)
            {
                error = $"unknown unit \"{unit}\" in duration \"{text}\"";
                return false;
            }
            try
            {
                nanos += number * perUnit;
            }
            catch (OverflowException)
            {
                error = $"duration out of range: \"{text}\"";
                return false;
            }
        }
        var ticks = nanos / NanosPerTick;
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            error = $"duration out of range: \"{text}\"";
            return false;
        }
        value = TimeSpan.FromTicks((long)decimal.Truncate(ticks) * (negative ? -1 : 1));
        return true;
    }

    /// <summary>The shortest text <see cref="TryParse"/> reads back exactly: <c>1w2d</c>, <c>1h30m</c>, <c>1s500ms</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }
        var text = new StringBuilder();
        // TimeSpan.MinValue has no positive twin; it never comes out of TryParse, which stays within +-MaxValue.
        var ticks = value.Ticks;
        if (ticks < 0)
        {
            text.Append('-');
            ticks = -ticks;
        }
        ReadOnlySpan<(string Unit, long Ticks)> units =
        [
            ("y", TimeSpan.TicksPerDay * 365),
            ("w", TimeSpan.TicksPerDay * 7),
            ("d", TimeSpan.TicksPerDay),
            ("h", TimeSpan.TicksPerHour),
            ("m", TimeSpan.TicksPerMinute),
            ("s", TimeSpan.TicksPerSecond),
            ("ms", TimeSpan.TicksPerMillisecond),
            ("us", TimeSpan.TicksPerMicrosecond),
        ];
        foreach (var (unit, unitTicks) in units)
        {
            if (ticks >= unitTicks)
            {
                text.Append((ticks / unitTicks).ToString(CultureInfo.InvariantCulture)).Append(unit);
                ticks %= unitTicks;
            }
        }
        if (ticks > 0)
        {
            text.Append((ticks * 100).ToString(CultureInfo.InvariantCulture)).Append("ns");
        }
        return text.ToString();
    }

    /// <summary>Whether <paramref name="c"/> can appear in a duration unit (Loki's isDurationRune).</summary>
    public static bool IsUnitChar(char c) => c is 'n' or 'u' or 'µ' or 'μ' or 'm' or 's' or 'h' or 'd' or 'w' or 'y';

    private static decimal UnitNanos(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1m,
        "us" or "µs" or "μs" => 1_000m,
        "ms" => 1_000_000m,
        "s" => 1_000_000_000m,
        "m" => 60m * 1_000_000_000m,
        "h" => 3600m * 1_000_000_000m,
        "d" => 86400m * 1_000_000_000m,
        "w" => 7m * 86400m * 1_000_000_000m,
        "y" => 365m * 86400m * 1_000_000_000m,
        _ => 0m,
    };
}
