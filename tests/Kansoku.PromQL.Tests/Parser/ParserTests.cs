using Kansoku.PromQL.Parser;

namespace Kansoku.PromQL.Tests.Parser;

public sealed class ParserTests
{
    /// <summary>The options of Prometheus' TestParseExpressions (everything but fill modifiers).</summary>
    private static readonly ParserOptions s_parseTestOptions = new()
    {
        EnableExperimentalFunctions = true,
        EnableDurationExpressions = true,
        EnableExtendedRangeSelectors = true,
    };

    public static TheoryData<string, string?, int> ParseCases => ParserCaseData.ParseCases();

    public static TheoryData<string, string> PrinterCases => ParserCaseData.PrinterCases();

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void Parses_or_fails_as_Prometheus(string input, string? error, int start)
    {
        if (error is null)
        {
            var expression = PromQLParser.Parse(input, s_parseTestOptions);
            var printed = expression.ToString();
            var reparsed = PromQLParser.Parse(printed, s_parseTestOptions);
            Assert.Equal(printed, reparsed.ToString());
            Assert.Equal(expression.Type, reparsed.Type);
            return;
        }
        var exception = Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(input, s_parseTestOptions));
        Assert.Equal(error, exception.Reason);
        Assert.Equal(start, exception.Position.Start);
    }

    [Theory]
    [MemberData(nameof(PrinterCases))]
    public void Prints_as_Prometheus(string input, string output)
    {
        var expression = PromQLParser.Parse(input, ParserOptions.AllExperimental);
        Assert.Equal(output, expression.ToString());
    }

    [Theory]
    [InlineData("foo offset 5m + 1m", "experimental duration expression is not enabled", false)]
    [InlineData("foo[5m+1m]", "experimental duration expression is not enabled", true)]
    [InlineData("limitk(1, foo)", "limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions", true)]
    [InlineData("info(foo)", "function \"info\" is not enabled", true)]
    [InlineData("foo[5m] anchored", "anchored modifier is experimental and not enabled", true)]
    [InlineData("foo + fill(0) bar", "binop fill modifiers are experimental and not enabled", true)]
    public void Refuses_experimental_syntax_unless_enabled(string input, string error, bool refused)
    {
        if (!refused)
        {
            // A plain offset followed by a binary operator is stable syntax: the offset ends at the literal.
            Assert.IsType<BinaryExpr>(PromQLParser.Parse(input));
            return;
        }
        var exception = Assert.Throws<PromQLParseException>(() => PromQLParser.Parse(input));
        Assert.Equal(error, exception.Reason);
        PromQLParser.Parse(input, ParserOptions.AllExperimental);
    }

    [Fact]
    public void Formats_errors_with_line_and_column_as_the_api_shows_them()
    {
        var exception = Assert.Throws<PromQLParseException>(() => PromQLParser.Parse("foo +\n  bar offset"));
        Assert.Equal(2, exception.Line);
        Assert.Equal(13, exception.Column);
        Assert.Equal(
            "2:13: parse error: unexpected end of input in offset, expected number, duration, step(), or range()",
            exception.Message);
    }

    [Theory]
    [InlineData("2 ^ 3 ^ 2", "2 ^ (3 ^ 2)")]
    [InlineData("1 + 2 * 3", "1 + (2 * 3)")]
    [InlineData("a or b and c", "a or (b and c)")]
    [InlineData("-a ^ b", "-(a ^ b)")]
    [InlineData("a - b - c", "(a - b) - c")]
    public void Applies_precedence_and_associativity(string input, string grouped)
    {
        Assert.Equal(Shape(PromQLParser.Parse(grouped)), Shape(PromQLParser.Parse(input)));
    }

    [Fact]
    public void Builds_vector_matching_and_selectors_for_the_engine()
    {
        var expression = (BinaryExpr)PromQLParser.Parse("a{x=~\"y.*\"} * on (job) group_left (instance) b offset -5m @ end()");
        Assert.Equal(VectorMatchCardinality.ManyToOne, expression.Matching!.Cardinality);
        Assert.True(expression.Matching.On);
        Assert.Equal(["job"], expression.Matching.MatchingLabels);
        Assert.Equal(["instance"], expression.Matching.Include);
        var left = (VectorSelector)expression.Left;
        Assert.Equal("a", left.Name);
        Assert.Equal(2, left.Matchers.Count);
        Assert.True(left.Matchers[0].Matches("yes"));
        Assert.False(left.Matchers[0].Matches("no"));
        var right = (VectorSelector)expression.Right;
        Assert.Equal(TimeSpan.FromMinutes(-5), right.OriginalOffset);
        Assert.Equal(AtModifier.End, right.At);
    }

    /// <summary>The tree with every node parenthesised, to compare groupings whatever the parentheses written.</summary>
    private static string Shape(Expr expression) => expression switch
    {
        ParenExpr paren => Shape(paren.Expression),
        BinaryExpr binary => "(" + Shape(binary.Left) + " " + binary.Operator.Text() + " " + Shape(binary.Right) + ")",
        UnaryExpr unary => "(" + (unary.Operator == UnaryOperator.Minus ? "-" : "+") + Shape(unary.Expression) + ")",
        _ => expression.ToString(),
    };
}
