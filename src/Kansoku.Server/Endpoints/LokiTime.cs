using System.Globalization;
using Kansoku.Agent.Parsers.Time;

namespace Kansoku.Server.Endpoints;

/// <summary>
/// Loki's time parameters: a Unix epoch in nanoseconds (an integer of more than 10 digits), seconds with an optional
/// fraction, or RFC 3339; and durations such as <c>since=1h</c> or <c>step=15s</c> / <c>step=15</c>.
/// </summary>
internal static class LokiTime
{
    public static long ParseTimestamp(string text, string name)
    {
        var value = text.Trim();
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            // Loki reads integers as nanoseconds; an integer small enough to be seconds is taken as seconds.
            return value.TrimStart('-').Length > 10 ? integer : integer * 1_000_000_000L;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return (long)Math.Round(seconds * 1e9);
        }
        if (Rfc3339.TryParse(System.Text.Encoding.UTF8.GetBytes(value), out var nanos))
        {
            return nanos;
        }
        throw new FormatException($"invalid {name}: '{text}' (a Unix epoch in ns or s, or RFC 3339)");
    }

    public static TimeSpan ParseDuration(string text, string name)
    {
        var value = text.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        if (Kansoku.LogQL.Parser.Durations.TryParse(value, allowSign: false, out var duration, out _))
        {
            return duration;
        }
        throw new FormatException($"invalid {name}: '{text}' (a duration such as 15s, 5m or 1h, or seconds)");
    }

}
