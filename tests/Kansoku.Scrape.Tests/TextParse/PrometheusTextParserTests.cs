using System.Text;
using Kansoku.Scrape.TextParse;

namespace Kansoku.Scrape.Tests.TextParse;

public sealed class PrometheusTextParserTests
{
    private static PrometheusTextParser Parser(string text) => new(Encoding.UTF8.GetBytes(text));

    private static double ValueOf(string valueText) => Assert.Single(ParserDriver.ReadText("m " + valueText + "\n")).Value;

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-1.5", -1.5)]
    [InlineData("+2", 2.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1.5E-3", 0.0015)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("123456789.123456789", 123456789.123456789)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    [InlineData("4.9e-324", double.Epsilon)]
    [InlineData("9223372036854775808", 9223372036854775808.0)]
    [InlineData("0000000000000000000000000000000000000000001.2e-1", 0.12)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-infinity", double.NegativeInfinity)]
    public void Values_parse_as_Go_floats(string text, double expected)
    {
        Assert.Equal(expected, ValueOf(text));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    public void NaN_is_Prometheus_normal_NaN_and_never_the_stale_marker(string text)
    {
        var value = ValueOf(text);
        Assert.Equal(0x7ff8000000000001UL, BitConverter.DoubleToUInt64Bits(value));
    }

    [Theory]
    [InlineData("0x1p-3")]
    [InlineData("0x10")]
    [InlineData("1_000")]
    [InlineData("+NaN")]
    [InlineData("1e")]
    [InlineData(".")]
    [InlineData("e5")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("one")]
    public void Values_Prometheus_refuses_are_refused_at_the_value(string text)
    {
        var error = Assert.Throws<ExpositionFormatException>(() => ParserDriver.ReadText("ok 1\nm " + text + "\n"));
        Assert.Equal(2, error.Line);
        Assert.Equal(3, error.Column);
    }

    [Fact]
    public void Every_entry_kind_and_its_fields()
    {
        var parser = Parser("""
            # HELP http_requests_total The total, with a \\ and a \n and a \".
            # TYPE http_requests_total counter
            # just a comment
            #another one

            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3   1395066363000
              up 1
            """);

        Assert.Equal(ExpositionEntry.Help, parser.Next());
        Assert.Equal("http_requests_total", Encoding.UTF8.GetString(parser.MetricFamily));
        Assert.Equal("The total, with a \\ and a \n and a \\\".", Encoding.UTF8.GetString(parser.HelpText));
        Assert.Equal(ExpositionEntry.Type, parser.Next());
        Assert.Equal(MetricType.Counter, parser.Type);
        Assert.Equal(ExpositionEntry.Comment, parser.Next());
        Assert.Equal(ExpositionEntry.Comment, parser.Next());
        Assert.Equal(ExpositionEntry.Series, parser.Next());
        Assert.Equal("http_requests_total{method=\"post\",code=\"200\"}", Encoding.UTF8.GetString(parser.Series));
        Assert.Equal(1027, parser.Value);
        Assert.Equal(1395066363000, parser.TimestampMs);
        Assert.Equal("{__name__=\"http_requests_total\", code=\"200\", method=\"post\"}", parser.GetLabels().ToString());
        Assert.Null(parser.CreatedTimestampMs);
        Assert.False(parser.TryGetExemplar(out _));
        Assert.Equal(ExpositionEntry.Series, parser.Next());
        Assert.Equal(3, parser.Value);
        Assert.Equal(ExpositionEntry.Series, parser.Next());
        Assert.Equal("up", Encoding.UTF8.GetString(parser.Series));
        Assert.Null(parser.TimestampMs);
        Assert.Equal(ExpositionEntry.EndOfInput, parser.Next());
        Assert.Equal(ExpositionEntry.EndOfInput, parser.Next());
    }

    [Fact]
    public void Label_values_unescape_quote_backslash_and_newline_and_keep_other_backslashes()
    {
        var sample = Assert.Single(ParserDriver.ReadText("m{a=\"x\\\"y\\\\z\\nw\",b=\"\\q\",c=\"日本\"} 1\n"));

        Assert.Equal("x\"y\\z\nw", sample.Labels.Get("a"));
        Assert.Equal("\\q", sample.Labels.Get("b"));
        Assert.Equal("日本", sample.Labels.Get("c"));
    }

    [Fact]
    public void The_lexer_leniencies_of_Prometheus_are_kept()
    {
        var samples = ParserDriver.ReadText("m { a = \"1\" , b=\"2\", } 1 \t\nm{a=\"1\" b=\"3\"}2\nm{} 3");

        Assert.Equal(["1", "1", ""], samples.Select(s => s.Labels.Get("a")));
        Assert.Equal(["2", "3", ""], samples.Select(s => s.Labels.Get("b")));
        Assert.Equal([1.0, 2.0, 3.0], samples.Select(s => s.Value));
    }

    [Fact]
    public void Quoted_UTF8_names_as_in_text_format_1_0_0()
    {
        var parser = Parser("# HELP \"my.metric\" dotted\n# TYPE \"my.metric\" gauge\n{\"my.metric\",\"some.label\"=\"v\"} 4\n");

        Assert.Equal(ExpositionEntry.Help, parser.Next());
        Assert.Equal("my.metric", Encoding.UTF8.GetString(parser.MetricFamily));
        Assert.Equal(ExpositionEntry.Type, parser.Next());
        Assert.Equal(ExpositionEntry.Series, parser.Next());
        var labels = parser.GetLabels();
        Assert.Equal("my.metric", labels.Get("__name__"));
        Assert.Equal("v", labels.Get("some.label"));
    }

    [Fact]
    public void Le_and_quantile_stay_as_written_as_Prometheus_2_stores_them()
    {
        var samples = ParserDriver.ReadText("""
            # TYPE h histogram
            h_bucket{le="1"} 0
            h_bucket{le="0.5"} 0
            h_bucket{le="1e6"} 0
            h_bucket{le="100000"} 0
            h_bucket{le="0.00001"} 0
            h_bucket{le="+inf"} 0
            # TYPE s summary
            s{quantile="0"} 1
            other{le="1"} 1
            """);

        Assert.Equal(["1", "0.5", "1e6", "100000", "0.00001", "+inf", "", "1"], samples.Select(s => s.Labels.Get("le")));
        Assert.Equal("0", samples[6].Labels.Get("quantile"));
    }

    [Theory]
    [InlineData("m 1 -5\n", 1, 5, "expected timestamp")]
    [InlineData("m 1 99999999999999999999\n", 1, 5, "out of range")]
    [InlineData("m 1 1 1\n", 1, 7, "after timestamp")]
    [InlineData("m\n", 1, 2, "expected value")]
    [InlineData("ok 1\nm{a=\"1\"\n", 2, 8, "expected")]
    [InlineData("m{a=1} 1\n", 1, 5, "quoted label value")]
    [InlineData("m{a=\"1\",,b=\"2\"} 1\n", 1, 9, "label name")]
    [InlineData("m{a=\"1\",a=\"2\"} 1\n", 1, 9, "duplicate")]
    [InlineData("m{__name__=\"x\"} 1\n", 1, 3, "__name__")]
    [InlineData("{a=\"1\"} 1\n", 1, 1, "metric name not set")]
    [InlineData("m{\"n\"} 1\n", 1, 4, "twice")]
    [InlineData("1m 1\n", 1, 1, "metric name")]
    [InlineData("# TYPE m counter \n", 1, 10, "invalid metric type")]
    [InlineData("# TYPE m gaugehistogram\n", 1, 10, "invalid metric type")]
    [InlineData("# HELP \n", 1, 8, "metric name after HELP")]
    [InlineData("m{a=\"\xff\"} 1\n", 1, 6, "UTF-8")]
    [InlineData("m 1{\n", 1, 4, "expected timestamp")]
    public void Faults_name_their_line_and_column(string text, int line, int column, string message)
    {
        // Latin-1 so that \xff is the one invalid UTF-8 byte; the rest is ASCII.
        var body = Encoding.Latin1.GetBytes(text);

        var error = Assert.Throws<ExpositionFormatException>(() => ParserDriver.ReadAll(new PrometheusTextParser(body)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.EndsWith($"at line {line}, column {column}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_and_type_without_a_blank_after_the_keyword_are_comments()
    {
        var parser = Parser("# HELP\n# TYPEm counter\n#HELP m x\n");

        Assert.Equal([ExpositionEntry.Comment, ExpositionEntry.Comment, ExpositionEntry.Comment, ExpositionEntry.EndOfInput],
            [parser.Next(), parser.Next(), parser.Next(), parser.Next()]);
    }

    [Fact]
    public void A_NUL_where_a_line_starts_ends_the_input_as_in_Prometheus()
    {
        Assert.Single(ParserDriver.ReadAll(new PrometheusTextParser("a 1\n\0b 2\n"u8.ToArray())));
    }
}
