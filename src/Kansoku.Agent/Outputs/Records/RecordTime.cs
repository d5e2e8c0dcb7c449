using System.Text.Json;
using System.Runtime.InteropServices;

namespace Kansoku.Agent.Outputs.Records;

/// <summary>The record's <c>time</c> field (RFC 3339 with up to nanoseconds, as the pipeline writes it) as Unix nanoseconds.</summary>
internal static class RecordTime
{
    public const long NanosPerSecond = 1_000_000_000;

    public static bool TryGetUnixNanos(JsonElement record, out long nanos)
    {
        nanos = 0;
        if (!record.TryGetProperty("time"u8, out var time))
        {
            return false;
        }
        if (time.ValueKind == JsonValueKind.String)
        {
            var raw = JsonMarshal.GetRawUtf8Value(time);
            if (!raw.Contains((byte)'\\'))
            {
                return TryParseUnixNanos(raw[1..^1], out nanos);
            }
            // Writers with the default encoder escape '+' in offsets (\u002B): unescape without allocating.
            if (raw.Length > 128)
            {
                return false;
            }
            var reader = new Utf8JsonReader(raw);
            reader.Read();
            Span<byte> unescaped = stackalloc byte[raw.Length];
            return TryParseUnixNanos(unescaped[..reader.CopyString(unescaped)], out nanos);
        }
        if (time.ValueKind == JsonValueKind.Number && time.TryGetDouble(out var seconds))
        {
            nanos = (long)(seconds * NanosPerSecond);
            return true;
        }
        return false;
    }

    /// <summary>Parses <c>2026-11-25T08:00:00.123456789Z</c> or <c>…+09:00</c>; a fraction may have 0 to 9 digits.</summary>
    public static bool TryParseUnixNanos(ReadOnlySpan<byte> text, out long nanos)
    {
        nanos = 0;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || (text[10] | 0x20) != 't' && text[10] != ' ' ||
            text[13] != ':' || text[16] != ':')
        {
            return false;
        }
        if (!TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day) ||
            !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) ||
            !TryDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }
        var position = 19;
        long fraction = 0;
        if (text[position] == '.')
        {
            position++;
            var digits = 0;
            while (position < text.Length && text[position] - (uint)'0' <= 9)
            {
                if (digits < 9)
                {
                    fraction = fraction * 10 + (text[position] - '0');
                    digits++;
                }
                position++;
            }
            if (digits == 0)
            {
                return false;
            }
            for (; digits < 9; digits++)
            {
                fraction *= 10;
            }
        }
        if (position >= text.Length)
        {
            return false;
        }
        long offsetSeconds;
        var zone = text[position..];
        if (zone.Length == 1 && (zone[0] | 0x20) == 'z')
        {
            offsetSeconds = 0;
        }
        else if (zone.Length is 6 or 5 && zone[0] is (byte)'+' or (byte)'-')
        {
            var minutesStart = zone.Length == 6 ? 4 : 3;
            if (zone.Length == 6 && zone[3] != ':' || !TryDigits(zone.Slice(1, 2), out var zoneHours) ||
                !TryDigits(zone.Slice(minutesStart, 2), out var zoneMinutes))
            {
                return false;
            }
            offsetSeconds = (zoneHours * 3600L + zoneMinutes * 60L) * (zone[0] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }
        var days = DaysFromCivil(year, month, day);
        var seconds = days * 86400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        nanos = seconds * NanosPerSecond + fraction;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            var digit = c - (uint)'0';
            if (digit > 9)
            {
                return false;
            }
            value = value * 10 + (int)digit;
        }
        return true;
    }

    // Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
    private static long DaysFromCivil(int year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - era * 400;
        var dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        var dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097L + dayOfEra - 719468;
    }
}
