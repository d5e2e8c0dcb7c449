using Kansoku.Core.Labels;
using Kansoku.Server.Prometheus;

namespace Kansoku.Server.Tests.Prometheus;

public sealed class SelectorParserTests
{
    [Theory]
    [InlineData("up", "__name__=\"up\"", null)]
    [InlineData("  up  ", "__name__=\"up\"", null)]
    [InlineData("job:rate5m:sum", "__name__=\"job:rate5m:sum\"", null)]
    [InlineData("{job=\"x\"}", "job=\"x\"", null)]
    [InlineData("foo{a=~\"b.*\", c!=\"\",}", "__name__=\"foo\" a=~\"b.*\" c!=\"\"", null)]
    [InlineData("foo{a!~'x|y'}", "__name__=\"foo\" a!~\"x|y\"", null)]
    [InlineData("foo{a=`raw\\n`}", "__name__=\"foo\" a=\"raw\\\\n\"", null)]
    [InlineData("foo{a=\"tab\\there \\\"q\\\" \\u00e9 \\x41 \\101\"}", "__name__=\"foo\" a=\"tab\there \\\"q\\\" é A A\"", null)]
    [InlineData("{\"service.name\"=\"api\"}", "service.name=\"api\"", null)]
    [InlineData("up[5m]", "__name__=\"up\"", 300_000L)]
    [InlineData("up{job=\"x\"} [1h30m]", "__name__=\"up\" job=\"x\"", 5_400_000L)]
    [InlineData("up[250ms]", "__name__=\"up\"", 250L)]
    public void Parses_selectors(string text, string matchers, long? range)
    {
        var selector = SelectorParser.Parse(text);
        Assert.Equal(matchers, string.Join(' ', selector.Matchers.Select(m => m.ToString())));
        Assert.Equal(range, selector.RangeMs);
        Assert.Equal(text, selector.Text);
    }

    [Fact]
    public void Regex_matchers_are_anchored()
    {
        var matcher = SelectorParser.Parse("{a=~\"b|c\"}").Matchers[0];
        Assert.Equal(LabelMatchType.RegexMatch, matcher.Type);
        Assert.True(matcher.Matches("b"));
        Assert.False(matcher.Matches("abc"));
    }

    [Theory]
    [InlineData("", 1, 1, "no expression found in input")]
    [InlineData("sum(up)", 1, 4, "unexpected character \"(\"")]
    [InlineData("up + 1", 1, 4, "unexpected character \"+\"")]
    [InlineData("1", 1, 1, "unexpected character \"1\"")]
    [InlineData("up offset 5m", 1, 4, "unexpected character \"o\"")]
    [InlineData("{}", 1, 1, "vector selector must contain at least one non-empty matcher")]
    [InlineData("{a=\"\"}", 1, 1, "vector selector must contain at least one non-empty matcher")]
    [InlineData("{a=~\".*\", b!=\"x\"}", 1, 1, "vector selector must contain at least one non-empty matcher")]
    [InlineData("up{a=\"x\"", 1, 9, "unexpected end of input inside braces")]
    [InlineData("up{a}", 1, 5, "unexpected character \"}\" in label matching, expected one of")]
    [InlineData("up{a=b}", 1, 6, "unexpected character \"b\" in label matching, expected string")]
    [InlineData("up{a=\"x\" b=\"y\"}", 1, 10, "unexpected character \"b\" in label matching, expected \",\" or \"}\"")]
    [InlineData("up{__name__=\"x\"}", 1, 4, "metric name must not be set twice: \"up\" or \"x\"")]
    [InlineData("up{a=~\"(\"}", 1, 7, "error parsing regexp")]
    [InlineData("up{a=\"x}", 1, 6, "unterminated quoted string")]
    [InlineData("up{a=\"\\q\"}", 1, 7, "unknown escape sequence")]
    [InlineData("up[5x]", 1, 4, "bad duration syntax \"5x\": unknown unit \"x\" in duration \"5x\"")]
    [InlineData("up[5m", 1, 6, "unexpected end of input in range selector")]
    [InlineData("up[0s]", 1, 4, "range selector must be greater than 0")]
    [InlineData("up[5m] or", 1, 8, "unexpected character \"o\"")]
    [InlineData("up{\n  a=b}", 2, 5, "unexpected character \"b\"")]
    public void Errors_carry_line_and_column(string text, int line, int column, string reason)
    {
        var error = Assert.Throws<SelectorParseException>(() => SelectorParser.Parse(text));
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{line}:{column}: parse error: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_selectors_refuse_ranges() =>
        Assert.Throws<SelectorParseException>(() => SelectorParser.ParseMetricSelector("up[5m]"));
}
