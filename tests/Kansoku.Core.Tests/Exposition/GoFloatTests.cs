using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Kansoku.Core.Exposition;

namespace Kansoku.Core.Tests.Exposition;

public sealed class GoFloatTests
{
    // Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints (client_golang's exposition layout).
    [Theory]
    [InlineData(1, "1")]
    [InlineData(0.5, "0.5")]
    [InlineData(0, "0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(123456, "123456")]
    [InlineData(1e6, "1e+06")]
    [InlineData(1234567, "1.234567e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1e21, "1e+21")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Exposition_layout_is_gos_g(double value, string expected) =>
        Assert.Equal(expected, Format(value, GoFloat.FormatExposition));

    // Prometheus' jsonutil.MarshalFloat: 'f', or 'e' below 1e-6 and from 1e21 up.
    [Theory]
    [InlineData(1, "1")]
    [InlineData(1234567, "1234567")]
    [InlineData(123.456, "123.456")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(9.99e-7, "9.99e-07")]
    [InlineData(-0.0, "-0")]
    [InlineData(0, "0")]
    [InlineData(0.1, "0.1")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Api_layout_is_prometheus_marshal_float(double value, string expected) =>
        Assert.Equal(expected, Format(value, GoFloat.FormatApi));

    [Property(MaxTest = 2000)]
    public bool Every_layout_round_trips(NormalFloat value)
    {
        foreach (var layout in "efg")
        {
            var text = Format(value.Get, (v, span) => GoFloat.Format(v, layout, span));
            var parsed = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (BitConverter.DoubleToInt64Bits(parsed) != BitConverter.DoubleToInt64Bits(value.Get))
            {
                return false;
            }
        }
        return true;
    }

    [Property(MaxTest = 500)]
    public bool Exponent_layout_has_one_leading_digit_and_two_exponent_digits(NormalFloat value)
    {
        var text = Format(value.Get, (v, span) => GoFloat.Format(v, 'e', span)).TrimStart('-');
        var exponent = text[(text.IndexOf('e', StringComparison.Ordinal) + 2)..];
        return char.IsAsciiDigit(text[0]) && (text.Length == 1 || text[1] is '.' or 'e') && exponent.Length >= 2;
    }

    private static string Format(double value, Func<double, Span<byte>, int> format)
    {
        var buffer = new byte[GoFloat.MaxLength];
        return Encoding.UTF8.GetString(buffer, 0, format(value, buffer));
    }
}
