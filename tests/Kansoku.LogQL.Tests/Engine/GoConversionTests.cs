using FsCheck;
using FsCheck.Fluent;
using Kansoku.LogQL.Engine.Go;

namespace Kansoku.LogQL.Tests.Engine;

/// <summary>The Go conversions label values go through: strconv.ParseFloat/FormatFloat, time.ParseDuration, humanize.ParseBytes.</summary>
public sealed class GoConversionTests
{
    [Theory]
    [InlineData("1", 1d)]
    [InlineData("-1.5", -1.5)]
    [InlineData("1e3", 1000d)]
    [InlineData(".5", 0.5)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-infinity", double.NegativeInfinity)]
    [InlineData("NaN", double.NaN)]
    public void Parses_floats_as_go(string text, double expected)
    {
        Assert.True(GoFloats.TryParse(text, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(" 1", "strconv.ParseFloat: parsing \" 1\": invalid syntax")]
    [InlineData("1_000", "strconv.ParseFloat: parsing \"1_000\": invalid syntax")]
    [InlineData("", "strconv.ParseFloat: parsing \"\": invalid syntax")]
    [InlineData("1e400", "strconv.ParseFloat: parsing \"1e400\": value out of range")]
    public void Refuses_what_go_refuses(string text, string message)
    {
        Assert.False(GoFloats.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData(0d, "0", "0")]
    [InlineData(1.5, "1.5", "1.5")]
    [InlineData(100000d, "100000", "100000")]
    [InlineData(1e6, "1e+06", "1000000")]
    [InlineData(123456789d, "1.23456789e+08", "123456789")]
    [InlineData(0.0001, "0.0001", "0.0001")]
    [InlineData(0.00001, "1e-05", "0.00001")]
    [InlineData(-2.5e-10, "-2.5e-10", "-0.00000000025")]
    [InlineData(1e21, "1e+21", "1000000000000000000000")]
    [InlineData(double.NaN, "NaN", "NaN")]
    [InlineData(double.NegativeInfinity, "-Inf", "-Inf")]
    public void Formats_floats_as_go(double value, string g, string f)
    {
        Assert.Equal(g, GoFloats.FormatG(value));
        Assert.Equal(f, GoFloats.FormatF(value));
    }

    [Fact]
    public void Formatted_floats_parse_back_to_the_same_value()
    {
        Prop.ForAll<double>(value =>
        {
            if (!double.IsFinite(value))
            {
                return true;
            }
            return GoFloats.TryParse(GoFloats.FormatG(value), out var g, out _) && g.Equals(value)
                && GoFloats.TryParse(GoFloats.FormatF(value), out var f, out _) && f.Equals(value);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("-2ms", -2_000_000L)]
    [InlineData("300us", 300_000L)]
    [InlineData("1µs", 1_000L)]
    [InlineData(".5m", 30_000_000_000L)]
    public void Parses_durations_as_go(string text, long nanoseconds)
    {
        Assert.True(GoDurations.TryParse(text, out var value, out var error), error);
        Assert.Equal(nanoseconds, value);
    }

    [Theory]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("1", "time: missing unit in duration \"1\"")]
    [InlineData("fast", "time: invalid duration \"fast\"")]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    public void Refuses_durations_go_refuses(string text, string message)
    {
        Assert.False(GoDurations.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("42", 42UL)]
    [InlineData("1KB", 1000UL)]
    [InlineData("1kib", 1024UL)]
    [InlineData("1.5 MB", 1_500_000UL)]
    [InlineData("1,000B", 1000UL)]
    [InlineData("2GiB", 2UL << 30)]
    public void Parses_byte_sizes_as_humanize(string text, ulong expected)
    {
        Assert.True(GoBytes.TryParse(text, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("big", "strconv.ParseFloat: parsing \"\": invalid syntax")]
    [InlineData("5 parsecs", "unhandled size name: parsecs")]
    public void Refuses_byte_sizes_humanize_refuses(string text, string message)
    {
        Assert.False(GoBytes.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData(60_000_000_000L, "1m0s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(300_000_000L, "300ms")]
    [InlineData(5_400_000_000_000L, "1h30m0s")]
    public void Formats_durations_as_go(long nanoseconds, string expected) =>
        Assert.Equal(expected, GoDurationFormat.Format(TimeSpan.FromTicks(nanoseconds / 100)));

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c\n\t", "\"a\\\"b\\\\c\\n\\t\"")]
    [InlineData("é\u0001\u200b", "\"é\\x01\\u200b\"")]
    public void Quotes_as_go(string value, string expected) => Assert.Equal(expected, GoStrings.Quote(value));
}
