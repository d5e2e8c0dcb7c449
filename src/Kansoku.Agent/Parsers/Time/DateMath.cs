namespace Kansoku.Agent.Parsers.Time;

/// <summary>Calendar arithmetic shared by the timestamp parsers: civil date and time to Unix nanoseconds.</summary>
internal static class DateMath
{
    public const long NanosPerSecond = 1_000_000_000L;

    // Unix nanoseconds in a long span 1677-09-21 to 2262-04-11; whole years inside that range keep the
    // arithmetic below free of overflow checks.
    private const int MinYear = 1678;
    private const int MaxYear = 2261;

    public static bool IsLeapYear(int year) => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    public static int DaysInMonth(int year, int month) => month switch
    {
        2 => IsLeapYear(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).</summary>
    public static long DaysFromCivil(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yearOfEra = y - (era * 400);
        var dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097) + dayOfEra - 719468;
    }

    /// <summary>
    /// Combines validated parts into Unix nanoseconds. <paramref name="offsetSeconds"/> is the zone's offset east of UTC.
    /// A leap second (60) is accepted and lands on the next second, as Go and glibc do.
    /// </summary>
    public static bool TryToUnixNanos(int year, int month, int day, int hour, int minute, int second, long nanos,
        int offsetSeconds, out long unixNanos)
    {
        unixNanos = 0;
        if (year is < MinYear or > MaxYear || month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month)
            || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 60 || nanos is < 0 or >= NanosPerSecond)
        {
            return false;
        }
        var seconds = (DaysFromCivil(year, month, day) * 86400) + (hour * 3600) + (minute * 60) + second - offsetSeconds;
        unixNanos = (seconds * NanosPerSecond) + nanos;
        return true;
    }

    /// <summary>Reads exactly <paramref name="count"/> ASCII digits at <paramref name="pos"/>.</summary>
    public static bool TryReadFixed(ReadOnlySpan<byte> text, int pos, int count, out int value)
    {
        value = 0;
        if (pos + count > text.Length)
        {
            return false;
        }
        for (var i = pos; i < pos + count; i++)
        {
            var digit = text[i] - (uint)'0';
            if (digit > 9)
            {
                return false;
            }
            value = (value * 10) + (int)digit;
        }
        return true;
    }

    /// <summary>
    /// Reads a fraction's digits at <paramref name="pos"/> as nanoseconds; digits beyond the ninth are read and dropped.
    /// Returns the number of digits read (0 when there are none).
    /// </summary>
    public static int ReadFraction(ReadOnlySpan<byte> text, int pos, out long nanos)
    {
        nanos = 0;
        var count = 0;
        while (pos + count < text.Length && IsDigit(text[pos + count]))
        {
            if (count < 9)
            {
                nanos = (nanos * 10) + (text[pos + count] - '0');
            }
            count++;
        }
        for (var i = count; i < 9; i++)
        {
            nanos *= 10;
        }
        return count;
    }

    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
