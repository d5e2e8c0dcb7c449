using System.Globalization;

namespace Kansoku.PromQL.Parser;

/// <summary>
/// Number literals as Prometheus reads them: first as a Go integer with base prefix (<c>0x1F</c>, <c>0o17</c>,
/// <c>0b101</c>, and a leading 0 meaning octal), else as a Go float (<c>1.5e3</c>, <c>Inf</c>, <c>NaN</c>), with '_'
/// allowed between digits; and printed as Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>... as Prometheus does.
/// </summary>
internal static class Numbers
{
    /// <summary>The value of a number token, or false with Go's strconv error text.</summary>
    public static bool TryParse(string text, out double value, out string? error)
    {
        error = null;
        value = 0;
        if (TryParseInteger(text, out var integer))
        {
            value = integer;
            return true;
        }
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (digits.Equals("inf", StringComparison.OrdinalIgnoreCase) || digits.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = double.PositiveInfinity;
            return true;
        }
        if (digits.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        var syntaxOk = digits.Length > 0 && !digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !text.EndsWith('_')
            && double.TryParse(digits, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
        if (!syntaxOk)
        {
            value = 0;
            error = "strconv.ParseFloat: parsing " + StringLiterals.Quote(text) + ": invalid syntax";
            return false;
        }
        if (double.IsInfinity(value))
        {
            error = "strconv.ParseFloat: parsing " + StringLiterals.Quote(text) + ": value out of range";
            return false;
        }
        return true;
    }

    private static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var radix = 10;
        var start = 0;
        if (text.Length > 1 && text[0] == '0')
        {
            (radix, start) = char.ToLowerInvariant(text[1]) switch
            {
                'x' => (16, 2),
                'o' => (8, 2),
                'b' => (2, 2),
                _ => (8, 1),
            };
        }
        var sawDigit = false;
        var previousUnderscore = start > 1;
        ulong accumulated = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '_')
            {
                if (previousUnderscore && !(i == start && start > 1) || (!sawDigit && start <= 1))
                {
                    return false;
                }
                previousUnderscore = true;
                continue;
            }
            var digit = StringLiterals.HexValue((byte)c);
            if (c > 0x7F || digit >= radix)
            {
                return false;
            }
            if (accumulated > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }
            accumulated = (accumulated * (ulong)radix) + (ulong)digit;
            sawDigit = true;
            previousUnderscore = false;
        }
        if ((!sawDigit && start != 1) || previousUnderscore || accumulated > long.MaxValue)
        {
            return false;
        }
        value = (long)accumulated;
        return true;
    }

    /// <summary>Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>: shortest round-trip digits, no exponent.</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('E', StringComparison.Ordinal))
        {
            return text;
        }
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact) && (double)exact == value
            ? exact.ToString(CultureInfo.InvariantCulture)
            : ExpandExponent(text);
    }

    private static string ExpandExponent(string text)
    {
        var exponentAt = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = text[..exponentAt];
        var exponent = int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var negative = mantissa.StartsWith('-');
        if (negative)
        {
            mantissa = mantissa[1..];
        }
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var pointAt = (dot < 0 ? mantissa.Length : dot) + exponent;
        string result;
        if (pointAt <= 0)
        {
            result = "0." + new string('0', -pointAt) + digits;
        }
        else if (pointAt >= digits.Length)
        {
            result = digits + new string('0', pointAt - digits.Length);
        }
        else
        {
            result = digits[..pointAt] + "." + digits[pointAt..];
        }
        return negative ? "-" + result : result;
    }
}
