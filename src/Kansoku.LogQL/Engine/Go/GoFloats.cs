using System.Globalization;
using System.Text;

namespace Kansoku.LogQL.Engine.Go;

/// <summary>
/// Go's float parsing and shortest formatting (<c>strconv.ParseFloat</c>, <c>FormatFloat(f, 'g'|'f', -1, 64)</c>), so
/// that unwrapped values, label filters and template output read and print numbers exactly as Loki does.
/// </summary>
internal static class GoFloats
{
    /// <summary><c>strconv.ParseFloat(text, 64)</c>; on failure <paramref name="error"/> is Go's message.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value, out string? error)
    {
        error = null;
        if (TryParseSpecial(text, out value))
        {
            return true;
        }
        if (!IsDecimalSyntax(text)
            || !double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out value))
        {
            value = 0;
            error = $"strconv.ParseFloat: parsing {GoStrings.Quote(text.ToString())}: invalid syntax";
            return false;
        }
        if (double.IsInfinity(value))
        {
            error = $"strconv.ParseFloat: parsing {GoStrings.Quote(text.ToString())}: value out of range";
            return false;
        }
        return true;
    }

    /// <summary><c>strconv.FormatFloat(value, 'g', -1, 64)</c>, which is also what <c>fmt</c>'s <c>%v</c> prints.</summary>
    public static string FormatG(double value)
    {
        if (!double.IsFinite(value))
        {
            return FormatSpecial(value);
        }
        var (negative, digits, decimalPoint) = ShortestDigits(value);
        var text = new StringBuilder();
        if (negative)
        {
            text.Append('-');
        }
        var exponent = decimalPoint - 1;
        // Shortest %g takes 6 as the precision when choosing between %e and %f (Go prints 1e6 as 1e+06).
        if (exponent < -4 || exponent >= 6)
        {
            AppendExponent(text, digits, exponent);
        }
        else
        {
            AppendFixed(text, digits, decimalPoint);
        }
        return text.ToString();
    }

    /// <summary><c>strconv.FormatFloat(value, 'f', -1, 64)</c>: the form Loki's JSON uses for sample values.</summary>
    public static string FormatF(double value)
    {
        if (!double.IsFinite(value))
        {
            return FormatSpecial(value);
        }
        var (negative, digits, decimalPoint) = ShortestDigits(value);
        var text = new StringBuilder();
        if (negative)
        {
            text.Append('-');
        }
        AppendFixed(text, digits, decimalPoint);
        return text.ToString();
    }

    private static string FormatSpecial(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";

    private static void AppendExponent(StringBuilder text, string digits, int exponent)
    {
        text.Append(digits[0]);
        if (digits.Length > 1)
        {
            text.Append('.').Append(digits, 1, digits.Length - 1);
        }
        text.Append('e').Append(exponent < 0 ? '-' : '+');
        var magnitude = Math.Abs(exponent);
        if (magnitude < 10)
        {
            text.Append('0');
        }
        text.Append(magnitude.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendFixed(StringBuilder text, string digits, int decimalPoint)
    {
        if (decimalPoint <= 0)
        {
            text.Append("0.").Append('0', -decimalPoint).Append(digits);
            return;
        }
        if (decimalPoint >= digits.Length)
        {
            text.Append(digits).Append('0', decimalPoint - digits.Length);
            return;
        }
        text.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digits.Length - decimalPoint);
    }

    /// <summary>The shortest round-trip decimal digits (no leading or trailing zeros) and where the point goes.</summary>
    private static (bool Negative, string Digits, int DecimalPoint) ShortestDigits(double value)
    {
        if (value == 0)
        {
            return (double.IsNegative(value), "0", 1);
        }
        // "R" is the shortest round-trip form; read its digits and exponent whatever notation it picked.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text[0] == '-';
        var start = negative ? 1 : 0;
        var exponentAt = text.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? text[start..] : text[start..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? mantissa.Length : point;
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }
        digits = digits[leadingZeros..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }
        return (negative, digits, integerDigits - leadingZeros + exponent);
    }

    private static bool TryParseSpecial(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var negative = false;
        var body = text;
        if (body.Length > 0 && (body[0] == '+' || body[0] == '-'))
        {
            negative = body[0] == '-';
            body = body[1..];
        }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase) && body.Length == text.Length)
        {
            value = double.NaN;
            return true;
        }
        return false;
    }

    /// <summary>[+-] digits [. digits] [e [+-] digits], with at least one mantissa digit; Go refuses spaces and "1.".</summary>
    private static bool IsDecimalSyntax(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            i++;
        }
        var mantissaDigits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            mantissaDigits++;
        }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0)
        {
            return false;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }
            var exponentDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0)
            {
                return false;
            }
        }
        return i == text.Length;
    }
}
