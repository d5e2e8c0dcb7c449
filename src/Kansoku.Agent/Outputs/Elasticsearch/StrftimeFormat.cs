using Kansoku.Agent.Config;

namespace Kansoku.Agent.Outputs.Elasticsearch;

/// <summary>
/// The strftime subset Fluent Bit configs use for index dates and time keys: <c>%Y %y %m %d %e %j %H %M %S %z %Z %%</c>,
/// plus fluentd's <c>%L</c> (milliseconds) and <c>%N</c> (nanoseconds). Compiled once; formats into a span.
/// </summary>
internal sealed class StrftimeFormat
{
    private readonly string _pattern;

    private StrftimeFormat(string pattern, bool hasFraction)
    {
        _pattern = pattern;
        HasFractionOrZone = hasFraction;
    }

    /// <summary>The pattern prints sub-seconds or a zone itself (else the ES output appends <c>.mmmZ</c>, as Fluent Bit does).</summary>
    public bool HasFractionOrZone { get; }

    public static StrftimeFormat Parse(string pattern, ConfigProperty? property)
    {
        var hasFraction = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '%')
            {
                continue;
            }
            if (++i >= pattern.Length || "YymdejHMSzZLN%".IndexOf(pattern[i], StringComparison.Ordinal) < 0)
            {
                var location = property?.Location ?? default;
                throw new ConfigException(location, property?.Key, $"'{pattern}': unsupported strftime conversion at offset {i - 1}");
            }
            hasFraction |= pattern[i] is 'z' or 'Z' or 'L' or 'N';
        }
        return new StrftimeFormat(pattern, hasFraction);
    }

    /// <summary>Formats a UTC time; returns the number of chars written (the buffer must hold 4× the pattern).</summary>
    public int Format(long unixNanos, Span<char> destination)
    {
        var nanosOfSecond = unixNanos % 1_000_000_000;
        if (nanosOfSecond < 0)
        {
            nanosOfSecond += 1_000_000_000;
        }
        var time = DateTime.UnixEpoch.AddTicks((unixNanos - nanosOfSecond) / 100);
        var length = 0;
        for (var i = 0; i < _pattern.Length; i++)
        {
            var c = _pattern[i];
            if (c != '%')
            {
                destination[length++] = c;
                continue;
            }
            switch (_pattern[++i])
            {
                case 'Y': length += Digits(time.Year, 4, destination[length..]); break;
                case 'y': length += Digits(time.Year % 100, 2, destination[length..]); break;
                case 'm': length += Digits(time.Month, 2, destination[length..]); break;
                case 'd': length += Digits(time.Day, 2, destination[length..]); break;
                case 'e':
                    destination[length++] = time.Day < 10 ? ' ' : (char)('0' + time.Day / 10);
                    destination[length++] = (char)('0' + time.Day % 10);
                    break;
                case 'j': length += Digits(time.DayOfYear, 3, destination[length..]); break;
                case 'H': length += Digits(time.Hour, 2, destination[length..]); break;
                case 'M': length += Digits(time.Minute, 2, destination[length..]); break;
                case 'S': length += Digits(time.Second, 2, destination[length..]); break;
                case 'L': length += Digits(nanosOfSecond / 1_000_000, 3, destination[length..]); break;
                case 'N': length += Digits(nanosOfSecond, 9, destination[length..]); break;
                case 'z': "+0000".CopyTo(destination[length..]); length += 5; break;
                case 'Z': "UTC".CopyTo(destination[length..]); length += 3; break;
                default: destination[length++] = '%'; break;
            }
        }
        return length;
    }

    public override string ToString() => _pattern;

    private static int Digits(long value, int width, Span<char> destination)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + value % 10);
            value /= 10;
        }
        return width;
    }
}
