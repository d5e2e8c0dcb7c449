using System.Text;
using Kansoku.LogQL.Parser;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Tests.Parser;

public sealed class LineFilterHintsTests
{
    [Theory]
    [InlineData("""{a="b"}""", new string[0])]
    [InlineData("""{a="b"} |= "error" """, new[] { "error" })]
    [InlineData("""{a="b"} |= "error" |= "timeout" |= "error" """, new[] { "error", "timeout" })]
    [InlineData("""{a="b"} |= "é" """, new[] { "é" })]
    [InlineData("""{a="b"} |= "" """, new string[0])]
    [InlineData("""{a="b"} |= "a" or "b" """, new string[0])]
    [InlineData("""{a="b"} |= ip("10.0.0.1") """, new string[0])]
    [InlineData("""{a="b"} != "error" !~ "x" |> "<_> x" """, new string[0])]
    [InlineData("""{a="b"} |~ "(?i)error" """, new string[0])]
    [InlineData("""{a="b"} |~ "err.r" """, new string[0])]
    [InlineData("""{a="b"} |~ "level=error" """, new[] { "level=error" })]
    [InlineData("""{a="b"} | json | x="y" |= "kept" | logfmt |= "also" """, new[] { "kept", "also" })]
    [InlineData("""{a="b"} |= "before" | line_format "{{.x}}" |= "after" """, new[] { "before" })]
    [InlineData("""{a="b"} |= "before" | decolorize |= "after" """, new[] { "before" })]
    [InlineData("""{a="b"} |= "before" | unpack |= "after" """, new[] { "before" })]
    public void Required_substrings_are_the_plain_contains_filters_before_any_line_rewrite(string query, string[] expected)
    {
        var selector = (LogSelectorExpr)LogQLParser.Parse(query);
        Assert.Equal(expected, LineFilterHints.RequiredSubstrings(selector).Select(b => Encoding.UTF8.GetString(b)));
    }

    [Fact]
    public void Works_on_the_selector_inside_a_metric_query()
    {
        var rate = (RangeAggregationExpr)LogQLParser.Parse("""rate({a="b"}[5m] |= "x" | json)""");
        Assert.Equal("x"u8.ToArray(), Assert.Single(LineFilterHints.RequiredSubstrings(rate.Range.Selector)));
    }
}
