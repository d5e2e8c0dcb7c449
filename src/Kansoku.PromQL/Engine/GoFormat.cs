using System.Globalization;

namespace Kansoku.PromQL.Engine;

/// <summary>Go's float text forms where Prometheus' messages and labels use them (%g, strconv 'f' -1, ParseFloat).</summary>
internal static class GoFormat
{
    /// <summary>strconv.FormatFloat(v, 'f', -1, 64)-like shortest form for count_values labels; Inf as +Inf / -Inf.</summary>
    public static string Shortest(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture) is var text && text.Contains('E', StringComparison.Ordinal)
            ? value.ToString("0.############################################################", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>%g: shortest representation, exponent as e+06 when large or small.</summary>
    public static string G(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOf('E', StringComparison.Ordinal);
        if (exponentAt < 0)
        {
            return text;
        }
        var exponent = int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{text[..exponentAt]}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    /// <summary>strconv.ParseFloat: decimal, scientific, Inf / +Inf / -Inf / NaN in any case.</summary>
    public static bool TryParseFloat(string text, out double value)
    {
        var unsigned = text.TrimStart('+', '-');
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = text.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && text.Length > 0;
    }
}
