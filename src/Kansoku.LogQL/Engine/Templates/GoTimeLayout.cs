using System.Globalization;
using System.Text;

namespace Kansoku.LogQL.Engine.Templates;

/// <summary>
/// Go's reference-time layouts (<c>2006-01-02T15:04:05Z07:00</c>) for formatting and parsing times in templates:
/// years, months (numeric and names), days, weekdays, hours (24 and 12 with PM), minutes, seconds, fractions
/// (<c>.000</c>, <c>.999</c>), zone offsets (<c>-0700</c>, <c>Z07:00</c>...) and <c>MST</c>.
/// </summary>
internal static class GoTimeLayout
{
    private static readonly string[] s_months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] s_days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static string Format(GoTime time, string layout)
    {
        var local = time.Local;
        var offset = time.Offset;
        var text = new StringBuilder(layout.Length + 10);
        var i = 0;
        while (i < layout.Length)
        {
            var (token, length) = NextToken(layout, i);
            if (token is null)
            {
                text.Append(layout[i]);
                i++;
                continue;
            }
            AppendToken(text, token, layout.Substring(i, length), local, time, offset);
            i += length;
        }
        return text.ToString();
    }

    /// <summary>Go's <c>time.ParseInLocation</c>: false when <paramref name="value"/> does not fit the layout.</summary>
    public static bool TryParse(string layout, string value, TimeZoneInfo zone, out GoTime time)
    {
        time = GoTime.Zero;
        int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0;
        var pm = false;
        var hasPm = false;
        TimeSpan? offset = null;
        var v = 0;
        var i = 0;
        while (i < layout.Length)
        {
            var (token, length) = NextToken(layout, i);
            if (token is null)
            {
                if (v >= value.Length || value[v] != layout[i])
                {
                    return false;
                }
                v++;
                i++;
                continue;
            }
            var chunk = layout.Substring(i, length);
            i += length;
            switch (token)
            {
                case "2006": if (!Digits(value, ref v, 4, 4, out year)) { return false; } break;
                case "06":
                    if (!Digits(value, ref v, 2, 2, out year)) { return false; }
                    year += year >= 69 ? 1900 : 2000;
                    break;
                case "01": if (!Digits(value, ref v, 2, 2, out month)) { return false; } break;
                case "1": if (!Digits(value, ref v, 1, 2, out month)) { return false; } break;
                case "January": if (!Name(value, ref v, s_months, full: true, out month)) { return false; } month++; break;
                case "Jan": if (!Name(value, ref v, s_months, full: false, out month)) { return false; } month++; break;
                case "Monday": if (!Name(value, ref v, s_days, full: true, out _)) { return false; } break;
                case "Mon": if (!Name(value, ref v, s_days, full: false, out _)) { return false; } break;
                case "02": if (!Digits(value, ref v, 2, 2, out day)) { return false; } break;
                case "_2":
                    if (v < value.Length && value[v] == ' ')
                    {
                        v++;
                    }
                    if (!Digits(value, ref v, 1, 2, out day)) { return false; }
                    break;
                case "2": if (!Digits(value, ref v, 1, 2, out day)) { return false; } break;
                case "002": if (!Digits(value, ref v, 3, 3, out _)) { return false; } break;
                case "15": if (!Digits(value, ref v, 1, 2, out hour)) { return false; } break;
                case "03": if (!Digits(value, ref v, 2, 2, out hour)) { return false; } break;
                case "3": if (!Digits(value, ref v, 1, 2, out hour)) { return false; } break;
                case "04": if (!Digits(value, ref v, 2, 2, out minute)) { return false; } break;
                case "4": if (!Digits(value, ref v, 1, 2, out minute)) { return false; } break;
                case "05": if (!Digits(value, ref v, 2, 2, out second)) { return false; } ParseFractionAfterSeconds(value, ref v, layout, i, ref nanos); break;
                case "5": if (!Digits(value, ref v, 1, 2, out second)) { return false; } ParseFractionAfterSeconds(value, ref v, layout, i, ref nanos); break;
                case "PM" or "pm":
                    if (v + 2 > value.Length) { return false; }
                    var ampm = value.Substring(v, 2).ToUpperInvariant();
                    if (ampm is not ("AM" or "PM")) { return false; }
                    hasPm = true;
                    pm = ampm == "PM";
                    v += 2;
                    break;
                case "MST":
                    var letters = 0;
                    while (v + letters < value.Length && char.IsAsciiLetterUpper(value[v + letters]))
                    {
                        letters++;
                    }
                    if (letters < 3) { return false; }
                    if (value.AsSpan(v, letters) is "UTC" or "GMT")
                    {
                        offset = TimeSpan.Zero;
                    }
                    v += letters;
                    break;
                case "fraction":
                    if (v >= value.Length || (value[v] != '.' && value[v] != ','))
                    {
                        if (chunk[1] == '9') { break; }
                        return false;
                    }
                    v++;
                    if (!Fraction(value, ref v, chunk[1] == '9' ? -1 : chunk.Length - 1, out nanos)) { return false; }
                    break;
                default:
                    if (!ParseZone(token, value, ref v, out var zoneOffset)) { return false; }
                    offset = zoneOffset;
                    break;
            }
        }
        if (v != value.Length)
        {
            return false;
        }
        if (hasPm)
        {
            if (hour > 12) { return false; }
            hour = pm ? (hour % 12) + 12 : hour % 12;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month) || hour > 23 || minute > 59 || second > 59 || year is < 1 or > 9999)
        {
            return false;
        }
        var wall = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        DateTime utc;
        try
        {
            utc = offset is { } fixedOffset ? wall - fixedOffset : TimeZoneInfo.ConvertTimeToUtc(wall, zone);
        }
        catch (ArgumentException)
        {
            return false;
        }
        var seconds = (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        time = new GoTime(seconds, nanos, offset is null ? zone : FixedZone(offset.Value));
        return true;
    }

    private static TimeZoneInfo FixedZone(TimeSpan offset) =>
        offset == TimeSpan.Zero ? TimeZoneInfo.Utc : TimeZoneInfo.CreateCustomTimeZone("offset", offset, "", "");

    /// <summary>The layout token at <paramref name="i"/> (normalized name) and its length, or null for literal text.</summary>
    private static (string? Token, int Length) NextToken(string layout, int i)
    {
        var rest = layout.AsSpan(i);
        static bool StartsLower(ReadOnlySpan<char> s, int at) => at < s.Length && char.IsAsciiLetterLower(s[at]);
        switch (rest[0])
        {
            case 'J':
                if (rest.StartsWith("January")) { return ("January", 7); }
                if (rest.StartsWith("Jan") && !StartsLower(rest, 3)) { return ("Jan", 3); }
                break;
            case 'M':
                if (rest.StartsWith("Monday")) { return ("Monday", 6); }
                if (rest.StartsWith("Mon") && !StartsLower(rest, 3)) { return ("Mon", 3); }
                if (rest.StartsWith("MST")) { return ("MST", 3); }
                break;
            case '0':
                if (rest.StartsWith("002")) { return ("002", 3); }
                if (rest.Length > 1 && rest[1] is >= '1' and <= '6') { return (rest[..2].ToString(), 2); }
                break;
            case '1':
                if (rest.StartsWith("15")) { return ("15", 2); }
                return ("1", 1);
            case '2':
                if (rest.StartsWith("2006")) { return ("2006", 4); }
                return ("2", 1);
            case '_':
                if (rest.StartsWith("_2") && !rest.StartsWith("_2006")) { return ("_2", 2); }
                break;
            case '3' or '4' or '5':
                return (rest[..1].ToString(), 1);
            case 'P':
                if (rest.StartsWith("PM")) { return ("PM", 2); }
                break;
            case 'p':
                if (rest.StartsWith("pm")) { return ("pm", 2); }
                break;
            case '-' or 'Z':
                foreach (var zone in (ReadOnlySpan<string>)["-07:00:00", "-070000", "-07:00", "-0700", "-07", "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07"])
                {
                    if (rest.StartsWith(zone))
                    {
                        return (zone, zone.Length);
                    }
                }
                break;
            case '.' or ',':
                if (rest.Length > 1 && rest[1] is '0' or '9')
                {
                    var digit = rest[1];
                    var j = 1;
                    while (j < rest.Length && rest[j] == digit)
                    {
                        j++;
                    }
                    if (j == rest.Length || !char.IsAsciiDigit(rest[j]))
                    {
                        return ("fraction", j);
                    }
                }
                break;
            default:
                break;
        }
        return (null, 1);
    }

    private static void AppendToken(StringBuilder text, string token, string chunk, DateTime local, GoTime time, TimeSpan offset)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (token)
        {
            case "2006": text.Append(local.Year.ToString("D4", invariant)); break;
            case "06": text.Append((local.Year % 100).ToString("D2", invariant)); break;
            case "01": text.Append(local.Month.ToString("D2", invariant)); break;
            case "1": text.Append(local.Month.ToString(invariant)); break;
            case "January": text.Append(s_months[local.Month - 1]); break;
            case "Jan": text.Append(s_months[local.Month - 1], 0, 3); break;
            case "Monday": text.Append(s_days[(int)local.DayOfWeek]); break;
            case "Mon": text.Append(s_days[(int)local.DayOfWeek], 0, 3); break;
            case "02": text.Append(local.Day.ToString("D2", invariant)); break;
            case "_2": text.Append(local.Day.ToString(invariant).PadLeft(2)); break;
            case "2": text.Append(local.Day.ToString(invariant)); break;
            case "002": text.Append(local.DayOfYear.ToString("D3", invariant)); break;
            case "15": text.Append(local.Hour.ToString("D2", invariant)); break;
            case "03": text.Append(Hour12(local.Hour).ToString("D2", invariant)); break;
            case "3": text.Append(Hour12(local.Hour).ToString(invariant)); break;
            case "04": text.Append(local.Minute.ToString("D2", invariant)); break;
            case "4": text.Append(local.Minute.ToString(invariant)); break;
            case "05": text.Append(local.Second.ToString("D2", invariant)); break;
            case "5": text.Append(local.Second.ToString(invariant)); break;
            case "PM": text.Append(local.Hour >= 12 ? "PM" : "AM"); break;
            case "pm": text.Append(local.Hour >= 12 ? "pm" : "am"); break;
            case "MST": text.Append(ZoneName(time.Zone, offset)); break;
            case "fraction": AppendFraction(text, chunk, time.Nanosecond); break;
            default: AppendZone(text, token, offset); break;
        }
    }

    private static int Hour12(int hour) => hour % 12 == 0 ? 12 : hour % 12;

    private static string ZoneName(TimeZoneInfo zone, TimeSpan offset)
    {
        if (zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC")
        {
            return "UTC";
        }
        // .NET has no zone abbreviations; Go prints the numeric offset when it has none either.
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var magnitude = offset.Duration();
        return magnitude.Minutes == 0
            ? $"{sign}{magnitude.Hours:D2}"
            : $"{sign}{magnitude.Hours:D2}{magnitude.Minutes:D2}";
    }

    private static void AppendFraction(StringBuilder text, string chunk, int nanosecond)
    {
        var digits = chunk.Length - 1;
        var fraction = nanosecond.ToString("D9", CultureInfo.InvariantCulture)[..Math.Min(digits, 9)];
        if (chunk[1] == '9')
        {
            fraction = fraction.TrimEnd('0');
            if (fraction.Length == 0)
            {
                return;
            }
        }
        text.Append(chunk[0]).Append(fraction);
    }

    private static void AppendZone(StringBuilder text, string token, TimeSpan offset)
    {
        if (token[0] == 'Z' && offset == TimeSpan.Zero)
        {
            text.Append('Z');
            return;
        }
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var magnitude = offset.Duration();
        var hours = magnitude.Hours.ToString("D2", CultureInfo.InvariantCulture);
        var minutes = magnitude.Minutes.ToString("D2", CultureInfo.InvariantCulture);
        var seconds = magnitude.Seconds.ToString("D2", CultureInfo.InvariantCulture);
        var body = token[1..];
        text.Append(sign).Append(body switch
        {
            "07:00:00" => $"{hours}:{minutes}:{seconds}",
            "070000" => hours + minutes + seconds,
            "07:00" => $"{hours}:{minutes}",
            "0700" => hours + minutes,
            _ => hours,
        });
    }

    private static bool ParseZone(string token, string value, ref int v, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (token[0] == 'Z' && v < value.Length && value[v] == 'Z')
        {
            v++;
            return true;
        }
        if (v >= value.Length || value[v] is not ('+' or '-'))
        {
            return false;
        }
        var negative = value[v] == '-';
        v++;
        int hours, minutes = 0, seconds = 0;
        var body = token[1..];
        if (!Digits(value, ref v, 2, 2, out hours))
        {
            return false;
        }
        if (body.StartsWith("07:", StringComparison.Ordinal))
        {
            if (v >= value.Length || value[v] != ':') { return false; }
            v++;
        }
        if (body.Length > 2 && !Digits(value, ref v, 2, 2, out minutes))
        {
            return false;
        }
        if (body.Length > 5)
        {
            if (body.Contains(':', StringComparison.Ordinal))
            {
                if (v >= value.Length || value[v] != ':') { return false; }
                v++;
            }
            if (!Digits(value, ref v, 2, 2, out seconds)) { return false; }
        }
        offset = new TimeSpan(hours, minutes, seconds);
        if (negative)
        {
            offset = -offset;
        }
        return true;
    }

    private static void ParseFractionAfterSeconds(string value, ref int v, string layout, int layoutIndex, ref int nanos)
    {
        // Go accepts a fraction after seconds even when the layout has none, unless the layout itself continues with one.
        if (v + 1 < value.Length && value[v] is '.' or ',' && char.IsAsciiDigit(value[v + 1])
            && !(layoutIndex < layout.Length && layout[layoutIndex] is '.' or ','))
        {
            v++;
            Fraction(value, ref v, -1, out nanos);
        }
    }

    private static bool Fraction(string value, ref int v, int exactDigits, out int nanos)
    {
        nanos = 0;
        var start = v;
        while (v < value.Length && char.IsAsciiDigit(value[v]))
        {
            v++;
        }
        var count = v - start;
        if (count == 0 || (exactDigits > 0 && count != exactDigits))
        {
            return false;
        }
        var digits = value.Substring(start, Math.Min(count, 9)).PadRight(9, '0');
        nanos = int.Parse(digits, CultureInfo.InvariantCulture);
        return true;
    }

    private static bool Digits(string value, ref int v, int min, int max, out int number)
    {
        number = 0;
        var count = 0;
        while (count < max && v < value.Length && char.IsAsciiDigit(value[v]))
        {
            number = number * 10 + (value[v] - '0');
            v++;
            count++;
        }
        return count >= min;
    }

    private static bool Name(string value, ref int v, string[] names, bool full, out int index)
    {
        for (index = 0; index < names.Length; index++)
        {
            var name = full ? names[index] : names[index][..3];
            if (string.Compare(value, v, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0 && v + name.Length <= value.Length)
            {
                v += name.Length;
                return true;
            }
        }
        return false;
    }
}
