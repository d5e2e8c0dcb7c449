using System.Text;

namespace Kansoku.Agent.Parsers.Time;

/// <summary>
/// A strptime(3) format (Fluent Bit's Time_Format) compiled once into a list of operations and applied to bytes.
/// </summary>
/// <remarks>
/// Supported: <c>%Y %y %m %d %e %H %I %M %S %p %j %b %B %h %a %A %L %f %z %Z %s %T %F %D %R %n %t %%</c>.
/// <c>%L</c> and <c>%f</c> read a fraction of any length (Fluent Bit's <c>%L</c>); a <c>.</c> or <c>,</c> directly before
/// them is optional in the input, so <c>%S.%L</c> also reads whole seconds. <c>%z</c> reads <c>Z</c>, <c>±hh</c>,
/// <c>±hhmm</c> and <c>±hh:mm</c>. <c>%Z</c> reads a zone abbreviation from a short table of unambiguous ones (UTC,
/// GMT, JST, CET, PST…) or a numeric offset; any other abbreviation, including ambiguous ones like CST and IST, is taken
/// as UTC. White space in the format matches any run of white space, as in strptime. Without a zone in the input the
/// time is read at the parser's Time_Offset (UTC by default); without a year, the current year is used.
/// </remarks>
internal sealed class StrptimeFormat
{
    private static readonly string[] s_months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly string[] s_weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private readonly Op[] _ops;
    private readonly TimeProvider _timeProvider;

    private StrptimeFormat(string format, Op[] ops, TimeProvider timeProvider)
    {
        Format = format;
        _ops = ops;
        _timeProvider = timeProvider;
    }

    public string Format { get; }

    /// <summary>Compiles <paramref name="format"/>; throws <see cref="FormatException"/> naming an unsupported directive.</summary>
    public static StrptimeFormat Compile(string format, TimeProvider? timeProvider = null)
    {
        var ops = new List<Op>();
        var literal = new StringBuilder();
        void FlushLiteral()
        {
            if (literal.Length > 0)
            {
                ops.Add(new Op(OpKind.Literal, Encoding.UTF8.GetBytes(literal.ToString())));
                literal.Clear();
            }
        }
        void Add(OpKind kind)
        {
            FlushLiteral();
            ops.Add(new Op(kind, null));
        }

        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (char.IsWhiteSpace(c))
            {
                Add(OpKind.Whitespace);
                while (i + 1 < format.Length && char.IsWhiteSpace(format[i + 1]))
                {
                    i++;
                }
                continue;
            }
            if (c != '%')
            {
                literal.Append(c);
                continue;
            }
            if (++i == format.Length)
            {
                throw new FormatException($"'{format}' ends with a lone '%'");
            }
            switch (format[i])
            {
                case 'Y': Add(OpKind.Year); break;
                case 'y': Add(OpKind.Year2); break;
                case 'm': Add(OpKind.Month); break;
                case 'd': Add(OpKind.Day); break;
                case 'e': Add(OpKind.DaySpacePadded); break;
                case 'H': Add(OpKind.Hour); break;
                case 'I': Add(OpKind.Hour12); break;
                case 'M': Add(OpKind.Minute); break;
                case 'S': Add(OpKind.Second); break;
                case 'p': Add(OpKind.AmPm); break;
                case 'j': Add(OpKind.DayOfYear); break;
                case 'b' or 'B' or 'h': Add(OpKind.MonthName); break;
                case 'a' or 'A': Add(OpKind.WeekdayName); break;
                case 'L' or 'f':
                    // A fraction separator right before %L is optional in the input: "%S.%L" also reads "05".
                    if (literal.Length > 0 && literal[^1] is '.' or ',')
                    {
                        literal.Length--;
                        Add(OpKind.OptionalFraction);
                    }
                    else
                    {
                        Add(OpKind.Fraction);
                    }
                    break;
                case 'z': Add(OpKind.NumericZone); break;
                case 'Z': Add(OpKind.ZoneName); break;
                case 's': Add(OpKind.EpochSeconds); break;
                case 'n' or 't': Add(OpKind.Whitespace); break;
                case 'T': AddAll(OpKind.Hour, ":", OpKind.Minute, ":", OpKind.Second); break;
                case 'R': AddAll(OpKind.Hour, ":", OpKind.Minute); break;
                case 'F': AddAll(OpKind.Year, "-", OpKind.Month, "-", OpKind.Day); break;
                case 'D': AddAll(OpKind.Month, "/", OpKind.Day, "/", OpKind.Year2); break;
                case '%': literal.Append('%'); break;
                default: throw new FormatException($"'%{format[i]}' in '{format}' is not a supported strptime directive");
            }
        }
        FlushLiteral();
        return new StrptimeFormat(format, [.. ops], timeProvider ?? TimeProvider.System);

        void AddAll(params object[] parts)
        {
            foreach (var part in parts)
            {
                if (part is OpKind kind)
                {
                    Add(kind);
                }
                else
                {
                    literal.Append((string)part);
                }
            }
        }
    }

    /// <summary>
    /// Parses the whole of <paramref name="text"/>. <paramref name="defaultOffsetSeconds"/> applies when the input has no
    /// zone. Trailing white space is allowed; anything else left over fails the parse.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> text, int defaultOffsetSeconds, out long unixNanos)
    {
        unixNanos = 0;
        int year = -1, month = 1, day = 1, hour = 0, minute = 0, second = 0, dayOfYear = -1, hour12 = -1, offset = defaultOffsetSeconds;
        long nanos = 0;
        bool pm = false, hasEpoch = false;
        long epochSeconds = 0;
        var pos = 0;
        foreach (var op in _ops)
        {
            var ok = true;
            switch (op.Kind)
            {
                case OpKind.Literal:
                    ok = text[pos..].StartsWith(op.Literal);
                    pos += op.Literal!.Length;
                    break;
                case OpKind.Whitespace:
                    while (pos < text.Length && IsSpace(text[pos]))
                    {
                        pos++;
                    }
                    break;
                case OpKind.Year: ok = ReadNumber(text, ref pos, 4, out year); break;
                case OpKind.Year2:
                    ok = ReadNumber(text, ref pos, 2, out year);
                    year += year < 69 ? 2000 : 1900;
                    break;
                case OpKind.Month: ok = ReadNumber(text, ref pos, 2, out month); break;
                case OpKind.Day: ok = ReadNumber(text, ref pos, 2, out day); break;
                case OpKind.DaySpacePadded:
                    if (pos < text.Length && text[pos] == ' ')
                    {
                        pos++;
                    }
                    ok = ReadNumber(text, ref pos, 2, out day);
                    break;
                case OpKind.Hour: ok = ReadNumber(text, ref pos, 2, out hour); break;
                case OpKind.Hour12: ok = ReadNumber(text, ref pos, 2, out hour12) && hour12 is >= 1 and <= 12; break;
                case OpKind.Minute: ok = ReadNumber(text, ref pos, 2, out minute); break;
                case OpKind.Second: ok = ReadNumber(text, ref pos, 2, out second); break;
                case OpKind.DayOfYear: ok = ReadNumber(text, ref pos, 3, out dayOfYear); break;
                case OpKind.AmPm: ok = ReadAmPm(text, ref pos, out pm); break;
                case OpKind.MonthName:
                    ok = ReadName(text, ref pos, s_months, out var monthIndex);
                    month = monthIndex + 1;
                    break;
                case OpKind.WeekdayName: ok = ReadName(text, ref pos, s_weekdays, out _); break;
                case OpKind.Fraction:
                    var digits = DateMath.ReadFraction(text, pos, out nanos);
                    ok = digits > 0;
                    pos += digits;
                    break;
                case OpKind.OptionalFraction:
                    if (pos < text.Length && text[pos] is (byte)'.' or (byte)',')
                    {
                        var count = DateMath.ReadFraction(text, pos + 1, out nanos);
                        ok = count > 0;
                        pos += 1 + count;
                    }
                    break;
                case OpKind.NumericZone: ok = ReadNumericZone(text, ref pos, out offset); break;
                case OpKind.ZoneName: ok = ReadZoneName(text, ref pos, out offset); break;
                case OpKind.EpochSeconds:
                    ok = ReadEpoch(text, ref pos, out epochSeconds);
                    hasEpoch = true;
                    break;
            }
            if (!ok || pos > text.Length)
            {
                return false;
            }
        }
        while (pos < text.Length && IsSpace(text[pos]))
        {
            pos++;
        }
        if (pos != text.Length)
        {
            return false;
        }
        if (hasEpoch)
        {
            if (epochSeconds > long.MaxValue / DateMath.NanosPerSecond - 1)
            {
                return false;
            }
            unixNanos = (epochSeconds * DateMath.NanosPerSecond) + nanos;
            return true;
        }
        if (year < 0)
        {
            year = _timeProvider.GetUtcNow().Year;
        }
        if (hour12 >= 0)
        {
            hour = (hour12 % 12) + (pm ? 12 : 0);
        }
        if (dayOfYear >= 0)
        {
            if (dayOfYear < 1 || dayOfYear > (DateMath.IsLeapYear(year) ? 366 : 365))
            {
                return false;
            }
            month = 1;
            day = dayOfYear;
            while (day > DateMath.DaysInMonth(year, month))
            {
                day -= DateMath.DaysInMonth(year, month);
                month++;
            }
        }
        return DateMath.TryToUnixNanos(year, month, day, hour, minute, second, nanos, offset, out unixNanos);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>One to <paramref name="maxDigits"/> digits, as strptime reads numeric fields.</summary>
    private static bool ReadNumber(ReadOnlySpan<byte> text, ref int pos, int maxDigits, out int value)
    {
        value = 0;
        var start = pos;
        while (pos < text.Length && pos - start < maxDigits && DateMath.IsDigit(text[pos]))
        {
            value = (value * 10) + (text[pos] - '0');
            pos++;
        }
        return pos > start;
    }

    private static bool ReadEpoch(ReadOnlySpan<byte> text, ref int pos, out long value)
    {
        value = 0;
        var start = pos;
        while (pos < text.Length && DateMath.IsDigit(text[pos]) && pos - start < 18)
        {
            value = (value * 10) + (text[pos] - '0');
            pos++;
        }
        return pos > start;
    }

    private static bool ReadAmPm(ReadOnlySpan<byte> text, ref int pos, out bool pm)
    {
        pm = false;
        if (pos + 2 > text.Length || (text[pos + 1] | 0x20) != 'm')
        {
            return false;
        }
        var first = text[pos] | 0x20;
        pm = first == 'p';
        pos += 2;
        return pm || first == 'a';
    }

    /// <summary>A name's three-letter abbreviation or its full form, case-insensitively.</summary>
    private static bool ReadName(ReadOnlySpan<byte> text, ref int pos, string[] names, out int index)
    {
        for (index = 0; index < names.Length; index++)
        {
            var name = names[index];
            if (!StartsWithIgnoreCase(text[pos..], name.AsSpan(0, 3)))
            {
                continue;
            }
            pos += StartsWithIgnoreCase(text[pos..], name) ? name.Length : 3;
            return true;
        }
        return false;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<char> lowerAscii)
    {
        if (text.Length < lowerAscii.Length)
        {
            return false;
        }
        for (var i = 0; i < lowerAscii.Length; i++)
        {
            if ((text[i] | 0x20) != lowerAscii[i])
            {
                return false;
            }
        }
        return true;
    }

    private static bool ReadNumericZone(ReadOnlySpan<byte> text, ref int pos, out int offset)
    {
        offset = 0;
        if (pos < text.Length && text[pos] is (byte)'Z' or (byte)'z')
        {
            pos++;
            return true;
        }
        // Longest match first: ±hh:mm, ±hhmm, ±hh.
        foreach (var length in (ReadOnlySpan<int>)[6, 5, 3])
        {
            if (pos + length <= text.Length && Rfc3339.TryParseNumericZone(text.Slice(pos, length), out offset))
            {
                pos += length;
                return true;
            }
        }
        return false;
    }

    private static bool ReadZoneName(ReadOnlySpan<byte> text, ref int pos, out int offset)
    {
        offset = 0;
        if (pos < text.Length && text[pos] is (byte)'+' or (byte)'-')
        {
            return ReadNumericZone(text, ref pos, out offset);
        }
        var start = pos;
        while (pos < text.Length && pos - start < 6 && ((text[pos] | 0x20) - (uint)'a') <= 'z' - 'a')
        {
            pos++;
        }
        if (pos == start)
        {
            return false;
        }
        offset = ZoneAbbreviations.OffsetSeconds(text[start..pos]);
        return true;
    }

    private enum OpKind : byte
    {
        Literal,
        Whitespace,
        Year,
        Year2,
        Month,
        Day,
        DaySpacePadded,
        Hour,
        Hour12,
        Minute,
        Second,
        AmPm,
        DayOfYear,
        MonthName,
        WeekdayName,
        Fraction,
        OptionalFraction,
        NumericZone,
        ZoneName,
        EpochSeconds,
    }

    private readonly record struct Op(OpKind Kind, byte[]? Literal);
}
