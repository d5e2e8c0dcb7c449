using System.Globalization;

namespace Kansoku.Core.Exposition;

/// <summary>
/// Floats written the way Prometheus writes them, which is Go's <c>strconv.AppendFloat(f, fmt, -1, 64)</c>: the shortest
/// digits that round-trip, laid out as <c>%e</c> (<c>1e-07</c>, at least two exponent digits), <c>%f</c> or <c>%g</c>
/// (<c>%e</c> when the decimal exponent is below -4 or at least 6, hence <c>1e+06</c>); and NaN, +Inf, -Inf spelled as
/// Prometheus spells them. Clients compare these strings, so the layout matters, not just the value.
/// </summary>
internal static class GoFloat
{
    /// <summary>Room for any double in any of the three layouts (17 digits, sign, point, a 3-digit exponent or 308 zeros).</summary>
    public const int MaxLength = 330;

    /// <summary>The text exposition format's layout (client_golang's <c>writeFloat</c>): Go's <c>%g</c>.</summary>
    public static int FormatExposition(double value, Span<byte> destination) => Format(value, 'g', destination);

    /// <summary>
    /// The HTTP API's sample values (Prometheus' <c>jsonutil.MarshalFloat</c>): <c>%f</c>, except <c>%e</c> for magnitudes
    /// below 1e-6 or from 1e21 up.
    /// </summary>
    public static int FormatApi(double value, Span<byte> destination)
    {
        var magnitude = Math.Abs(value);
        var layout = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) ? 'e' : 'f';
        return Format(value, layout, destination);
    }

    /// <summary>Writes <paramref name="value"/> in Go's <paramref name="layout"/> ('e', 'f' or 'g'); returns the bytes written.</summary>
    public static int Format(double value, char layout, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            return Copy("NaN"u8, destination);
        }
        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "+Inf"u8 : "-Inf"u8, destination);
        }
        Span<byte> digits = stackalloc byte[32];
        var count = ShortestDigits(value, digits, out var pointPosition);
        digits = digits[..count];
        var written = 0;
        if (double.IsNegative(value))
        {
            destination[written++] = (byte)'-';
        }
        var exponent = pointPosition - 1;
        var useExponent = layout switch
        {
            'e' => true,
            'f' => false,
            // With shortest digits Go decides %g against a fixed precision of 6 (strconv/ftoa.go), whatever the digit count.
            _ => count > 0 && (exponent < -4 || exponent >= 6),
        };
        written += useExponent
            ? WriteExponent(digits, exponent, destination[written..])
            : WriteFixed(digits, pointPosition, destination[written..]);
        return written;
    }

    /// <summary>
    /// The shortest round-trip decimal digits of |value| without leading or trailing zeros, and where the decimal point
    /// goes: the value is 0.d1d2…dn × 10^pointPosition. Zero has no digits.
    /// </summary>
    private static int ShortestDigits(double value, Span<byte> digits, out int pointPosition)
    {
        // .NET's "R" is the shortest round-trip form; it is re-laid out here because its layout differs from Go's.
        Span<byte> text = stackalloc byte[40];
        Math.Abs(value).TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        text = text[..length];
        var exponentAt = text.IndexOf((byte)'E');
        var exponent = 0;
        if (exponentAt >= 0)
        {
            exponent = int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..exponentAt];
        }
        var count = 0;
        var integerDigits = 0;
        var seenPoint = false;
        var leadingZeros = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                seenPoint = true;
                continue;
            }
            if (count == 0 && c == '0')
            {
                // Leading zeros move the point left when they follow it ("0.001"); before it they are just "0".
                if (seenPoint)
                {
                    leadingZeros++;
                }
                continue;
            }
            digits[count++] = c;
            if (!seenPoint)
            {
                integerDigits++;
            }
        }
        while (count > 0 && digits[count - 1] == '0')
        {
            count--;
        }
        pointPosition = count == 0 ? 0 : (integerDigits > 0 ? integerDigits : -leadingZeros) + exponent;
        return count;
    }

    private static int WriteExponent(ReadOnlySpan<byte> digits, int exponent, Span<byte> destination)
    {
        var written = 0;
        destination[written++] = digits.Length == 0 ? (byte)'0' : digits[0];
        if (digits.Length > 1)
        {
            destination[written++] = (byte)'.';
            digits[1..].CopyTo(destination[written..]);
            written += digits.Length - 1;
        }
        if (digits.Length == 0)
        {
            exponent = 0;
        }
        destination[written++] = (byte)'e';
        destination[written++] = exponent < 0 ? (byte)'-' : (byte)'+';
        var magnitude = Math.Abs(exponent);
        if (magnitude < 10)
        {
            destination[written++] = (byte)'0';
        }
        magnitude.TryFormat(destination[written..], out var exponentLength, default, CultureInfo.InvariantCulture);
        return written + exponentLength;
    }

    private static int WriteFixed(ReadOnlySpan<byte> digits, int pointPosition, Span<byte> destination)
    {
        var written = 0;
        if (pointPosition <= 0)
        {
            destination[written++] = (byte)'0';
        }
        else
        {
            for (var i = 0; i < pointPosition; i++)
            {
                destination[written++] = i < digits.Length ? digits[i] : (byte)'0';
            }
        }
        if (digits.Length > Math.Max(pointPosition, 0))
        {
            destination[written++] = (byte)'.';
            for (var i = pointPosition; i < 0; i++)
            {
                destination[written++] = (byte)'0';
            }
            var fraction = digits[Math.Max(pointPosition, 0)..];
            fraction.CopyTo(destination[written..]);
            written += fraction.Length;
        }
        return written;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
