using System.Globalization;
using System.Text;
using Kansoku.LogQL.Engine.Go;

namespace Kansoku.LogQL.Engine.Templates;

/// <summary>
/// Go's <c>fmt.Sprintf</c> for template <c>printf</c>: flags <c>+ - # 0</c> and space, width, precision, and the verbs
/// <c>v s q d f F e E g G x X o b t c %</c>, with Go's <c>%!d(string=x)</c> markers for mismatches.
/// </summary>
internal static class GoFormat
{
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var text = new StringBuilder(format.Length + 16);
        var next = 0;
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c != '%')
            {
                text.Append(c);
                i++;
                continue;
            }
            i++;
            if (i >= format.Length)
            {
                text.Append("%!(NOVERB)");
                break;
            }
            var spec = new Spec();
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '+': spec.Plus = true; continue;
                    case '-': spec.Minus = true; continue;
                    case '#': spec.Sharp = true; continue;
                    case '0': spec.Zero = true; continue;
                    case ' ': spec.Space = true; continue;
                    default: break;
                }
                break;
            }
            spec.Width = ReadNumber(format, ref i, args, ref next);
            if (i < format.Length && format[i] == '.')
            {
                i++;
                spec.Precision = ReadNumber(format, ref i, args, ref next) ?? 0;
            }
            if (i >= format.Length)
            {
                text.Append("%!(NOVERB)");
                break;
            }
            var verb = format[i++];
            if (verb == '%')
            {
                text.Append('%');
                continue;
            }
            if (next >= args.Count)
            {
                text.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            text.Append(Pad(FormatOne(verb, spec, args[next++]), spec));
        }
        if (next < args.Count)
        {
            text.Append("%!(EXTRA ");
            for (var k = next; k < args.Count; k++)
            {
                if (k > next)
                {
                    text.Append(", ");
                }
                text.Append(TemplateValues.TypeName(args[k])).Append('=').Append(TemplateValues.Sprint(args[k]));
            }
            text.Append(')');
        }
        return text.ToString();
    }

    private static int? ReadNumber(string format, ref int i, IReadOnlyList<object?> args, ref int next)
    {
        if (i < format.Length && format[i] == '*')
        {
            i++;
            var star = next < args.Count ? args[next] : null;
            next++;
            return star is long count ? (int)count : null;
        }
        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }
        return i > start ? int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture) : null;
    }

    private static string FormatOne(char verb, Spec spec, object? value)
    {
        switch (verb)
        {
            case 'v':
                return value is double v ? FormatFloat('g', spec, v) : value is long integer ? FormatInteger(integer, 10, spec, false) : TemplateValues.Sprint(value);
            case 's':
                return value switch
                {
                    string s => Truncate(s, spec.Precision),
                    GoTime or IDictionary<string, object?> or IList<object?> => Truncate(TemplateValues.Sprint(value), spec.Precision),
                    _ => BadVerb(verb, value),
                };
            case 'q':
                return value switch
                {
                    string s => GoStrings.Quote(Truncate(s, spec.Precision)),
                    long l => "'" + char.ConvertFromUtf32((int)l) + "'",
                    _ => BadVerb(verb, value),
                };
            case 'd':
                return value is long d ? FormatInteger(d, 10, spec, false) : BadVerb(verb, value);
            case 'x' or 'X':
                return value switch
                {
                    long x => FormatInteger(x, 16, spec, verb == 'X'),
                    string s => Hex(Encoding.UTF8.GetBytes(s), verb == 'X'),
                    _ => BadVerb(verb, value),
                };
            case 'o':
                return value is long o ? FormatInteger(o, 8, spec, false) : BadVerb(verb, value);
            case 'b':
                return value is long b ? FormatInteger(b, 2, spec, false) : BadVerb(verb, value);
            case 'c':
                return value is long c ? char.ConvertFromUtf32((int)c) : BadVerb(verb, value);
            case 't':
                return value is bool t ? (t ? "true" : "false") : BadVerb(verb, value);
            case 'f' or 'F' or 'e' or 'E' or 'g' or 'G':
                return value is double f ? FormatFloat(verb, spec, f) : BadVerb(verb, value);
            default:
                return BadVerb(verb, value);
        }
    }

    private static string BadVerb(char verb, object? value) =>
        value is null ? $"%!{verb}(<nil>)" : $"%!{verb}({TemplateValues.TypeName(value)}={TemplateValues.Sprint(value)})";

    private static string Truncate(string value, int? precision)
    {
        if (precision is not { } limit)
        {
            return value;
        }
        var runes = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (runes == limit)
            {
                return value[..i];
            }
            if (!char.IsHighSurrogate(value[i]))
            {
                runes++;
            }
        }
        return value;
    }

    private static string FormatInteger(long value, int radix, Spec spec, bool upper)
    {
        var magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        var digits = radix == 10 ? magnitude.ToString(CultureInfo.InvariantCulture) : ToRadix(magnitude, radix, upper);
        if (spec.Precision is { } precision && digits.Length < precision)
        {
            digits = new string('0', precision - digits.Length) + digits;
        }
        if (spec.Sharp)
        {
            digits = radix switch
            {
                16 => (upper ? "0X" : "0x") + digits,
                8 => "0" + digits,
                2 => "0b" + digits,
                _ => digits,
            };
        }
        var sign = value < 0 ? "-" : spec.Plus ? "+" : spec.Space ? " " : "";
        return ZeroPad(sign, digits, spec);
    }

    private static string FormatFloat(char verb, Spec spec, double value)
    {
        if (!double.IsFinite(value))
        {
            var special = double.IsNaN(value) ? "NaN" : value > 0 ? (spec.Plus ? "+Inf" : "Inf") : "-Inf";
            return special;
        }
        var magnitude = Math.Abs(value);
        string body;
        switch (verb)
        {
            case 'f' or 'F':
                body = magnitude.ToString("F" + (spec.Precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                break;
            case 'e' or 'E':
                body = Exponent(magnitude.ToString((verb == 'e' ? "e" : "E") + (spec.Precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
                break;
            default:
                body = spec.Precision is { } digits
                    ? Exponent(magnitude.ToString("G" + Math.Max(digits, 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).Replace("E", verb == 'G' ? "E" : "e", StringComparison.Ordinal)
                    : GoFloats.FormatG(magnitude);
                if (verb == 'G')
                {
                    body = body.ToUpperInvariant();
                }
                break;
        }
        var sign = double.IsNegative(value) ? "-" : spec.Plus ? "+" : spec.Space ? " " : "";
        return ZeroPad(sign, body, spec);
    }

    /// <summary>.NET writes exponents as E+003 or E+3; Go uses at least two digits: e+03.</summary>
    private static string Exponent(string text)
    {
        var at = text.IndexOfAny(['e', 'E']);
        if (at < 0)
        {
            return text;
        }
        var sign = text[at + 1] is '+' or '-' ? text[at + 1] : '+';
        var digits = text[(at + (text[at + 1] is '+' or '-' ? 2 : 1))..].TrimStart('0');
        if (digits.Length < 2)
        {
            digits = digits.PadLeft(2, '0');
        }
        return text[..(at + 1)] + sign + digits;
    }

    private static string ZeroPad(string sign, string digits, Spec spec)
    {
        if (spec.Zero && !spec.Minus && spec.Width is { } width && sign.Length + digits.Length < width)
        {
            return sign + new string('0', width - sign.Length - digits.Length) + digits;
        }
        return sign + digits;
    }

    private static string Pad(string text, Spec spec)
    {
        if (spec.Width is not { } width)
        {
            return text;
        }
        var length = 0;
        foreach (var c in text)
        {
            if (!char.IsLowSurrogate(c))
            {
                length++;
            }
        }
        if (length >= width)
        {
            return text;
        }
        var padding = new string(' ', width - length);
        return spec.Minus ? text + padding : padding + text;
    }

    private static string ToRadix(ulong value, int radix, bool upper)
    {
        if (value == 0)
        {
            return "0";
        }
        var digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        var text = new StringBuilder();
        while (value > 0)
        {
            text.Insert(0, digits[(int)(value % (ulong)radix)]);
            value /= (ulong)radix;
        }
        return text.ToString();
    }

    private static string Hex(byte[] bytes, bool upper) => upper ? Convert.ToHexString(bytes) : Convert.ToHexStringLower(bytes);

    private struct Spec
    {
        public bool Plus;
        public bool Minus;
        public bool Sharp;
        public bool Zero;
        public bool Space;
        public int? Width;
        public int? Precision;
    }
}
