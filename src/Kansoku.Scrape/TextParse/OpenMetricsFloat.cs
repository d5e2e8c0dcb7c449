using System.Globalization;
using System.Text;

namespace Kansoku.Scrape.TextParse;

/// <summary>
/// Writes a float as OpenMetrics canonical text (Prometheus' <c>labels.FormatOpenMetricsFloat</c>): Go's shortest
/// <c>%g</c> (exponent form below 1e-4 and from 1e6 on, exponent of at least two digits), with <c>.0</c> added to whole
/// numbers, and <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>. Both parsers give <c>le</c> and <c>quantile</c> values this form so
/// that <c>le="1"</c> and <c>le="1.0"</c> are the same series, as in Prometheus.
/// </summary>
internal static class OpenMetricsFloat
{
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // "R" gives the shortest digits that round-trip, as Go's shortest formatting does; only the layout differs.
        var (digits, pointPosition) = SplitDigits(value.ToString("R", CultureInfo.InvariantCulture));
        var exponent = pointPosition - 1;
        var text = new StringBuilder(32);
        if (value < 0)
        {
            text.Append('-');
        }
        if (exponent < -4 || exponent >= 6)
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }
            text.Append(exponent < 0 ? "e-" : "e+");
            var magnitude = Math.Abs(exponent);
            if (magnitude < 10)
            {
                text.Append('0');
            }
            return text.Append(magnitude.ToString(CultureInfo.InvariantCulture)).ToString();
        }
        if (pointPosition <= 0)
        {
            text.Append("0.").Append('0', -pointPosition).Append(digits);
        }
        else if (pointPosition >= digits.Length)
        {
            text.Append(digits).Append('0', pointPosition - digits.Length).Append(".0");
        }
        else
        {
            text.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
        }
        return text.ToString();
    }

    /// <summary>The significant digits of a formatted positive or negative number and where its decimal point falls.</summary>
    private static (string Digits, int PointPosition) SplitDigits(string formatted)
    {
        var mantissa = formatted.TrimStart('-');
        var exponent = 0;
        var e = mantissa.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(mantissa.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = mantissa[..e];
        }
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerLength = point < 0 ? mantissa.Length : point;
        var allDigits = point < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, point), mantissa.AsSpan(point + 1));
        var leadingZeros = 0;
        while (leadingZeros < allDigits.Length - 1 && allDigits[leadingZeros] == '0')
        {
            leadingZeros++;
        }
        var digits = allDigits[leadingZeros..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, integerLength - leadingZeros + exponent);
    }
}
