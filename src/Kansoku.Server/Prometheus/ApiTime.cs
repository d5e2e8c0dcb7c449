using System.Globalization;
using System.Text;
using Kansoku.Agent.Parsers.Time;

namespace Kansoku.Server.Prometheus;

/// <summary>
/// The API's time and duration parameters as Prometheus reads them (web/api/v1 <c>parseTime</c>, <c>parseDuration</c>):
/// times are Unix seconds as a float (rounded to the millisecond) or RFC 3339; durations are float seconds or
/// Prometheus durations (<c>5m</c>). All times here are milliseconds since the epoch, as in the store.
/// </summary>
internal static class ApiTime
{
    /// <summary>Prometheus' earliest time (<c>minTime</c>), the default start of series and label lookups.</summary>
    public const long MinTimeMs = -9_223_309_901_257_974_000L;

    /// <summary>Prometheus' latest time (<c>maxTime</c>), the default end of series and label lookups.</summary>
    public const long MaxTimeMs = 9_223_309_901_257_974_999L;

    // Clients echo Prometheus' own bounds back in this form, which Go's parser cannot read with its 4-digit years.
    private const string MinTimeText = "-292273086-05-16T16:47:06Z";
    private const string MaxTimeText = "292277025-08-18T07:12:54.999999999Z";

    public static bool TryParseTime(string text, out long milliseconds)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            var whole = Math.Truncate(seconds);
            var fractionMs = Math.Round((seconds - whole) * 1000);
            if (Math.Abs(whole) < MaxTimeMs / 1000.0)
            {
                milliseconds = (long)whole * 1000 + (long)fractionMs;
                return true;
            }
        }
        if (Rfc3339.TryParse(Encoding.UTF8.GetBytes(text), out var nanos))
        {
            milliseconds = Math.DivRem(nanos, 1_000_000, out var remainder) - (remainder < 0 ? 1 : 0);
            return true;
        }
        milliseconds = text switch
        {
            MinTimeText => MinTimeMs,
            MaxTimeText => MaxTimeMs,
            _ => 0,
        };
        return milliseconds != 0;
    }

    /// <summary>A time parameter, or <paramref name="fallback"/> when it is absent or empty.</summary>
    public static long ParseTimeParameter(string? text, string parameter, long fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        return TryParseTime(text, out var milliseconds)
            ? milliseconds
            : throw PrometheusApiException.InvalidParameter(parameter, $"cannot parse {GoQuote.Quote(text)} to a valid timestamp");
    }

    /// <summary>A duration parameter in milliseconds (may be zero or negative when given as seconds; callers check).</summary>
    public static long ParseDurationParameter(string? text, string parameter)
    {
        text ??= "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && !double.IsNaN(seconds))
        {
            var nanoseconds = seconds * 1e9;
            if (nanoseconds >= long.MaxValue || nanoseconds <= long.MinValue)
            {
                throw PrometheusApiException.InvalidParameter(parameter, $"cannot parse {GoQuote.Quote(text)} to a valid duration. It overflows int64");
            }
            return (long)nanoseconds / 1_000_000;
        }
        return PrometheusDuration.TryParse(text, out var milliseconds, out _)
            ? milliseconds
            : throw PrometheusApiException.InvalidParameter(parameter, $"cannot parse {GoQuote.Quote(text)} to a valid duration");
    }

    /// <summary>
    /// Prometheus' JSON timestamp (<c>jsonutil.MarshalTimestamp</c>): seconds with the milliseconds as a three-digit fraction,
    /// omitted when zero (<c>1435781451.781</c>, <c>1.500</c>, <c>12</c>). Returns the bytes written.
    /// </summary>
    public static int FormatTimestamp(long milliseconds, Span<byte> destination)
    {
        var written = 0;
        var magnitude = milliseconds < 0 ? (ulong)(-(milliseconds + 1)) + 1 : (ulong)milliseconds;
        if (milliseconds < 0)
        {
            destination[written++] = (byte)'-';
        }
        var seconds = magnitude / 1000;
        var fraction = (int)(magnitude % 1000);
        seconds.TryFormat(destination[written..], out var length, default, CultureInfo.InvariantCulture);
        written += length;
        if (fraction != 0)
        {
            destination[written++] = (byte)'.';
            fraction.TryFormat(destination[written..], out length, "D3", CultureInfo.InvariantCulture);
            written += length;
        }
        return written;
    }

    public const int MaxTimestampLength = 24;
}
