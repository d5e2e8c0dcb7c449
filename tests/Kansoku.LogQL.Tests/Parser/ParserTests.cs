using Kansoku.Core.Labels;
using Kansoku.LogQL.Parser;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Tests.Parser;

public sealed class ParserTests
{
    [Fact]
    public void Stream_selector_builds_core_label_matchers()
    {
        var selector = Assert.IsType<LogSelectorExpr>(LogQLParser.Parse("""{a="b", c=~"d.*", e!="f", g!~"h"}"""));
        Assert.Equal(
            [(LabelMatchType.Equal, "a", "b"), (LabelMatchType.RegexMatch, "c", "d.*"), (LabelMatchType.NotEqual, "e", "f"),
                (LabelMatchType.RegexNoMatch, "g", "h")],
            selector.Matchers.Select(m => (m.Type, m.Name, m.Value)));
        Assert.True(selector.Matchers[1].Matches("dxx"));
        Assert.False(selector.Matchers[1].Matches("xd"));
        Assert.Empty(selector.Stages);
    }

    [Fact]
    public void Strings_decode_go_escapes_and_raw_strings_keep_backslashes()
    {
        var selector = (LogSelectorExpr)LogQLParser.Parse("{a=\"q\\\"\\\\\\n\\t\\x41\\101\\u00e9\\U0001F600\", b=`x\\d\r`}");
        Assert.Equal("q\"\\\n\tAAé😀", selector.Matchers[0].Value);
        Assert.Equal("x\\d", selector.Matchers[1].Value);
        Assert.Equal("é", ((LogSelectorExpr)LogQLParser.Parse("""{a="\xc3\xa9"}""")).Matchers[0].Value);
    }

    [Fact]
    public void Line_filters_keep_type_order_and_or_alternatives()
    {
        var selector = (LogSelectorExpr)LogQLParser.Parse(
            """{a="b"} |= "x" or "y" != "n" |~ "(?i)re" !~ "nre" |> "<_> p" !> "np <_>" |= ip("10.0.0.0/8") """);
        var filters = selector.Stages.Cast<LineFilterStage>().ToList();
        Assert.Equal(
            [LineFilterType.Contains, LineFilterType.NotContains, LineFilterType.Regex, LineFilterType.NotRegex,
                LineFilterType.Pattern, LineFilterType.NotPattern, LineFilterType.Contains],
            filters.Select(f => f.Type));
        Assert.Equal(["x", "y"], filters[0].Values.Select(v => v.Value));
        Assert.True(filters[1].IsNegative);
        Assert.Equal(new LineFilterValue("10.0.0.0/8", IsIp: true), filters[6].Values.Single());
    }

    [Fact]
    public void Parser_stages_carry_their_parameters()
    {
        var stages = ((LogSelectorExpr)LogQLParser.Parse(
            """{a="b"} | json s="r.status", plain | logfmt --strict --keep-empty k="key" | regexp "(?P<m>\\w+)" """
            + """| pattern "<ip> - <_> <status>" | unpack | decolorize""")).Stages;
        var json = Assert.IsType<JsonParserStage>(stages[0]);
        Assert.Equal([new LabelExtraction("s", "r.status"), new LabelExtraction("plain", "plain")], json.Extractions);
        var logfmt = Assert.IsType<LogfmtParserStage>(stages[1]);
        Assert.True(logfmt.Strict && logfmt.KeepEmpty);
        Assert.Equal([new LabelExtraction("k", "key")], logfmt.Extractions);
        Assert.Equal("(?P<m>\\w+)", Assert.IsType<RegexpParserStage>(stages[2]).Pattern);
        var pattern = Assert.IsType<PatternParserStage>(stages[3]).Pattern;
        Assert.Equal(
            [new LinePatternPart("ip", true), new LinePatternPart(" - ", false), new LinePatternPart("_", true),
                new LinePatternPart(" ", false), new LinePatternPart("status", true)],
            pattern.Parts);
        Assert.IsType<UnpackParserStage>(stages[4]);
        Assert.IsType<DecolorizeStage>(stages[5]);
    }

    [Fact]
    public void Format_drop_and_keep_stages()
    {
        var stages = ((LogSelectorExpr)LogQLParser.Parse(
            """{a="b"} | line_format "{{.x}}" | label_format dst=src, t="{{.d}}" | drop a, b="v" | keep c, d=~"e.*" """)).Stages;
        Assert.Equal("{{.x}}", Assert.IsType<LineFormatStage>(stages[0]).Template);
        Assert.Equal(
            [new LabelFormatItem("dst", "src", IsRename: true), new LabelFormatItem("t", "{{.d}}", IsRename: false)],
            Assert.IsType<LabelFormatStage>(stages[1]).Items);
        var drop = Assert.IsType<DropLabelsStage>(stages[2]).Labels;
        Assert.Null(drop[0].Matcher);
        Assert.Equal(("b", LabelMatchType.Equal, "v"), (drop[1].Name, drop[1].Matcher!.Type, drop[1].Matcher!.Value));
        var keep = Assert.IsType<KeepLabelsStage>(stages[3]).Labels;
        Assert.Equal(["c", "d"], keep.Select(k => k.Name));
        Assert.True(keep[1].Matcher!.Matches("exx"));
    }

    [Theory]
    [InlineData("x > 5", typeof(NumericLabelFilter), "Greater")]
    [InlineData("x >= -5", typeof(NumericLabelFilter), "GreaterOrEqual")]
    [InlineData("x < 5", typeof(NumericLabelFilter), "Less")]
    [InlineData("x <= 5", typeof(NumericLabelFilter), "LessOrEqual")]
    [InlineData("x == 5", typeof(NumericLabelFilter), "Equal")]
    [InlineData("x = 5", typeof(NumericLabelFilter), "Equal")]
    [InlineData("x != 5", typeof(NumericLabelFilter), "NotEqual")]
    [InlineData("x > 1s", typeof(DurationLabelFilter), "Greater")]
    [InlineData("x == 250ms", typeof(DurationLabelFilter), "Equal")]
    [InlineData("x = 1h", typeof(DurationLabelFilter), "Equal")]
    [InlineData("x != -1m", typeof(DurationLabelFilter), "NotEqual")]
    [InlineData("x > 10KB", typeof(BytesLabelFilter), "Greater")]
    [InlineData("x <= 5MiB", typeof(BytesLabelFilter), "LessOrEqual")]
    [InlineData("x = ip(\"1.2.3.4\")", typeof(IpLabelFilter), "Equal")]
    [InlineData("x != ip(\"1.2.3.4\")", typeof(IpLabelFilter), "NotEqual")]
    public void Label_filter_comparisons(string filter, Type type, string comparison)
    {
        var parsed = FirstLabelFilter("{a=\"b\"} | logfmt | " + filter);
        Assert.IsType(type, parsed);
        Assert.Equal(Enum.Parse<LabelComparison>(comparison), (LabelComparison)type.GetProperty("Comparison")!.GetValue(parsed)!);
    }

    [Fact]
    public void Label_filter_values_are_typed()
    {
        Assert.Equal(-5.5, ((NumericLabelFilter)FirstLabelFilter("""{a="b"} | x > -5.5""")).Value);
        Assert.Equal(TimeSpan.FromMinutes(90), ((DurationLabelFilter)FirstLabelFilter("""{a="b"} | x > 1h30m""")).Value);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), ((DurationLabelFilter)FirstLabelFilter("""{a="b"} | x > 1.5s""")).Value);
        Assert.Equal(TimeSpan.FromTicks(3), ((DurationLabelFilter)FirstLabelFilter("""{a="b"} | x > 300ns""")).Value);
        Assert.Equal(TimeSpan.FromDays(8), ((DurationLabelFilter)FirstLabelFilter("""{a="b"} | x > 1w1d""")).Value);
        Assert.Equal(10_000UL, ((BytesLabelFilter)FirstLabelFilter("""{a="b"} | x > 10KB""")).Value);
        Assert.Equal(10_240UL, ((BytesLabelFilter)FirstLabelFilter("""{a="b"} | x > 10KiB""")).Value);
        Assert.Equal(1_500_000UL, ((BytesLabelFilter)FirstLabelFilter("""{a="b"} | x > 1.5MB""")).Value);
        var regex = (StringLabelFilter)FirstLabelFilter("""{a="b"} | msg=~"time.*" """);
        Assert.True(regex.Matcher.Matches("timeout"));
        Assert.False(regex.Matcher.Matches("no timeout"));
    }

    [Theory]
    // and binds tighter than or; ',' and juxtaposition take the single filter on their left and everything on their right.
    [InlineData("""a="1" and b="2" or c="3" """, "((a and b) or c)")]
    [InlineData("""a="1" or b="2" and c="3" """, "(a or (b and c))")]
    [InlineData("""a="1" or b="2" or c="3" """, "((a or b) or c)")]
    [InlineData("""a="1" and b="2" and c="3" """, "((a and b) and c)")]
    [InlineData("""a="1", b="2", c="3" """, "(a and (b and c))")]
    [InlineData("""a="1" b="2" c="3" """, "(a and (b and c))")]
    [InlineData("""a="1" or b="2", c="3" """, "(a or (b and c))")]
    [InlineData("""a="1", b="2" or c="3" """, "(a and (b or c))")]
    [InlineData("""a="1" and b="2", c="3" or d="4" """, "(a and (b and (c or d)))")]
    [InlineData("""a="1" or b="2" c="3" and d="4" """, "(a or (b and (c and d)))")]
    [InlineData("""(a="1" or b="2") and c="3" """, "((a or b) and c)")]
    [InlineData("""a="1" (b="2" or c="3") """, "(a and (b or c))")]
    public void Label_filter_precedence_matches_lokis_grammar(string filter, string expected)
    {
        Assert.Equal(expected, Shape(FirstLabelFilter("{x=\"y\"} | " + filter)));
    }

    [Theory]
    [InlineData("1 + 2 * 3", "(1 + (2 * 3))")]
    [InlineData("1 * 2 + 3", "((1 * 2) + 3)")]
    [InlineData("1 - 2 - 3", "((1 - 2) - 3)")]
    [InlineData("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))")]
    [InlineData("1 + 2 ^ 3 * 4", "(1 + ((2 ^ 3) * 4))")]
    [InlineData("1 / 2 % 3 * 4", "(((1 / 2) % 3) * 4)")]
    [InlineData("1 + 2 > 3 - 4", "((1 + 2) > (3 - 4))")]
    [InlineData("1 > 2 == 3", "((1 > 2) == 3)")]
    [InlineData("-1 ^ 2", "(-1 ^ 2)")]
    [InlineData("(1 + 2) * 3", "((1 + 2) * 3)")]
    [InlineData("v + 1 > 2 and v or v unless v", "((((v + 1) > 2) and v) or (v unless v))")]
    [InlineData("v or v and v", "(v or (v and v))")]
    [InlineData("v and v unless v", "((v and v) unless v)")]
    public void Binary_operator_precedence_matches_lokis(string expression, string expected)
    {
        var expr = LogQLParser.Parse(expression.Replace("v", "vector(1)", StringComparison.Ordinal));
        Assert.Equal(expected, Shape(expr));
    }

    [Fact]
    public void Binary_modifiers()
    {
        var expr = (BinaryOpExpr)LogQLParser.Parse("""rate({a="b"}[1m]) > bool rate({a="c"}[1m])""");
        Assert.True(expr.ReturnBool);
        Assert.Null(expr.Matching);
        expr = (BinaryOpExpr)LogQLParser.Parse("""rate({a="b"}[1m]) * on (x, y) group_left (z) rate({a="c"}[1m])""");
        Assert.Equal(BinaryOperator.Multiply, expr.Operator);
        Assert.Null(AstAssert.Difference(new VectorMatching(true, ["x", "y"], VectorMatchCardinality.ManyToOne, ["z"]), expr.Matching, "$"));
        expr = (BinaryOpExpr)LogQLParser.Parse("""rate({a="b"}[1m]) / ignoring (p) group_right rate({a="c"}[1m])""");
        Assert.False(expr.Matching!.On);
        Assert.Equal(["p"], expr.Matching.Labels);
        Assert.Equal(VectorMatchCardinality.OneToMany, expr.Matching.Cardinality);
        Assert.Empty(expr.Matching.Include);
    }

    [Fact]
    public void Range_aggregation_parts()
    {
        var expr = (RangeAggregationExpr)LogQLParser.Parse(
            """quantile_over_time(0.99, {a="b"} |= "x" | json | unwrap duration(latency) | __error__="" [5m] offset 1h) by (path)""");
        Assert.Equal(RangeOperation.QuantileOverTime, expr.Operation);
        Assert.Equal(0.99, expr.Parameter);
        Assert.Equal(TimeSpan.FromMinutes(5), expr.Range.Range);
        Assert.Equal(TimeSpan.FromHours(1), expr.Range.Offset);
        Assert.Equal(2, expr.Range.Selector.Stages.Count);
        Assert.Equal("latency", expr.Range.Unwrap!.Label);
        Assert.Equal(UnwrapConversion.Duration, expr.Range.Unwrap.Conversion);
        Assert.IsType<StringLabelFilter>(Assert.Single(expr.Range.Unwrap.PostFilters));
        Assert.Null(AstAssert.Difference(new Grouping(false, ["path"]), expr.Grouping, "$"));

        var after = (RangeAggregationExpr)LogQLParser.Parse("""count_over_time({a="b"}[5m] offset -1h |= "x")""");
        Assert.Equal(TimeSpan.FromHours(-1), after.Range.Offset);
        Assert.IsType<LineFilterStage>(Assert.Single(after.Range.Selector.Stages));
    }

    [Fact]
    public void Vector_aggregation_parts()
    {
        var expr = (VectorAggregationExpr)LogQLParser.Parse("""topk by (a) (5, rate({a="b"}[1m]))""");
        Assert.Equal((VectorOperation.TopK, 5), (expr.Operation, expr.Parameter));
        Assert.Equal(["a"], expr.Grouping!.Labels);
        expr = (VectorAggregationExpr)LogQLParser.Parse("""sum(rate({a="b"}[1m])) without (p)""");
        Assert.Null(expr.Parameter);
        Assert.True(expr.Grouping!.Without);
        Assert.Null(((VectorAggregationExpr)LogQLParser.Parse("""sort(rate({a="b"}[1m]))""")).Grouping);
    }

    [Fact]
    public void Literals_vectors_and_label_replace()
    {
        Assert.Equal(-1.5e3, ((LiteralExpr)LogQLParser.Parse("-1.5e3")).Value);
        Assert.Equal(0.5, ((LiteralExpr)LogQLParser.Parse("+.5")).Value);
        Assert.Equal(2, ((VectorExpr)LogQLParser.Parse("vector(2)")).Value);
        var replace = (LabelReplaceExpr)LogQLParser.Parse("""label_replace(vector(1), "dst", "$1", "src", "(.*)")""");
        Assert.Equal(("dst", "$1", "src", "(.*)"), (replace.Destination, replace.Replacement, replace.Source, replace.Regex));
    }

    [Fact]
    public void Nodes_know_their_source_spans()
    {
        const string Query = """sum by (a) (rate({app="x"} |= "err" | json [5m])) > 2""";
        var expr = (BinaryOpExpr)LogQLParser.Parse(Query);
        Assert.Equal(Query, Text(Query, expr.Span));
        var sum = (VectorAggregationExpr)expr.Left;
        Assert.Equal("""sum by (a) (rate({app="x"} |= "err" | json [5m]))""", Text(Query, sum.Span));
        var rate = (RangeAggregationExpr)sum.Inner;
        Assert.Equal("""rate({app="x"} |= "err" | json [5m])""", Text(Query, rate.Span));
        Assert.Equal("""{app="x"} |= "err" | json [5m]""", Text(Query, rate.Range.Span));
        Assert.Equal("""{app="x"} |= "err" | json""", Text(Query, rate.Range.Selector.Span));
        Assert.Equal("""|= "err" """.TrimEnd(), Text(Query, rate.Range.Selector.Stages[0].Span));
        Assert.Equal("| json", Text(Query, rate.Range.Selector.Stages[1].Span));
        Assert.Equal("2", Text(Query, expr.Right.Span));
    }

    [Theory]
    [InlineData("""{json="a", by="b", unwrap="c"} | logfmt | json="x" """)]
    [InlineData("""sum by (json, rate, offset) (rate({a="b"}[1m]))""")]
    public void Keywords_remain_usable_as_label_names(string query)
    {
        RoundTripTests.AssertRoundTrip(query);
    }

    [Fact]
    public void Json_followed_by_not_equal_is_a_line_filter_as_in_loki()
    {
        var stages = ((LogSelectorExpr)LogQLParser.Parse("""{a="b"} | json != "debug" | logfmt !~ "x" """)).Stages;
        Assert.Equal(
            [typeof(JsonParserStage), typeof(LineFilterStage), typeof(LogfmtParserStage), typeof(LineFilterStage)],
            stages.Select(s => s.GetType()));
    }

    [Fact]
    public void Parse_helpers_check_the_query_kind()
    {
        Assert.IsType<LogSelectorExpr>(LogQLParser.ParseLogSelector("""{a="b"} |= "x" """));
        Assert.IsType<RangeAggregationExpr>(LogQLParser.ParseSampleExpr("""rate({a="b"}[1m])"""));
        Assert.Throws<LogQLParseException>(() => LogQLParser.ParseLogSelector("""rate({a="b"}[1m])"""));
        Assert.Throws<LogQLParseException>(() => LogQLParser.ParseSampleExpr("""{a="b"}"""));
    }

    private static LabelFilter FirstLabelFilter(string query) =>
        ((LogSelectorExpr)LogQLParser.Parse(query)).Stages.OfType<LabelFilterStage>().First().Filter;

    private static string Text(string query, SourceSpan span) => query[span.Start..span.End];

    private static string Shape(Node node) => node switch
    {
        BinaryLabelFilter b => $"({Shape(b.Left)} {(b.Operator == LabelFilterOperator.And ? "and" : "or")} {Shape(b.Right)})",
        StringLabelFilter s => s.Matcher.Name,
        BinaryOpExpr b => $"({Shape(b.Left)} {Keywords.Text(b.Operator)} {Shape(b.Right)})",
        VectorExpr => "v",
        _ => node.ToString(),
    };
}
