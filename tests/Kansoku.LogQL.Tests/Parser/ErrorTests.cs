using Kansoku.LogQL.Parser;

namespace Kansoku.LogQL.Tests.Parser;

public sealed class ErrorTests
{
    [Theory]
    // The first group are Loki's own test cases, with Loki's message and position.
    [InlineData("""{foo="bar}""", 1, 6, "literal not terminated")]
    [InlineData("{foo=\"bar\"", 1, 11, "syntax error: unexpected $end, expecting } or ,")]
    [InlineData("""{foo="bar"} |~""", 1, 15, "syntax error: unexpected $end, expecting STRING or ip")]
    [InlineData("{foo=\"bar\"} \"foo\"", 1, 13, "syntax error: unexpected STRING")]
    [InlineData("""{foo="bar"} foo""", 1, 13, "syntax error: unexpected IDENTIFIER")]
    [InlineData("""unk({ foo = "bar" }[5m])""", 1, 1, "syntax error: unexpected IDENTIFIER")]
    [InlineData("""bool 1 > 1 > bool 1""", 1, 1, "syntax error: unexpected bool")]
    [InlineData("""vector(abc)""", 1, 8, "syntax error: unexpected IDENTIFIER, expecting NUMBER")]
    [InlineData("""label_replace(rate({ foo = "bar" }[5m]),"")""", 1, 43, "syntax error: unexpected ), expecting ,")]
    [InlineData("""rate({ foo = "bar" }[5)""", 1, 21, "missing closing ']' in duration")]
    [InlineData("""rate({ foo = "bar" }[5minutes])""", 1, 22, "unknown unit \"minutes\" in duration \"5minutes\"")]
    [InlineData("""{ foo = "bar" }|logfmt|addr>=ip("1.2.3.4")""", 1, 30, "syntax error: unexpected ip, expecting NUMBER or DURATION or BYTES")]
    [InlineData("""{ foo = "bar" }|logfmt|addr<ip("1.2.3.4")""", 1, 29, "syntax error: unexpected ip, expecting NUMBER or DURATION or BYTES")]
    [InlineData("""#{app="foo"} | json""", 1, 20, "syntax error: unexpected $end")]
    [InlineData("""quantile_over_time(foo,{a="b"} | unwrap x [5m])""", 1, 20, "syntax error: unexpected IDENTIFIER, expecting { or (")]
    [InlineData("""min({ foo = "bar" }[5m])""", 1, 20, "syntax error: unexpected RANGE, expecting )")]
    [InlineData("""sum({ foo = "bar" })""", 1, 5, "syntax error: unexpected log selector, expecting metric expression")]
    // Semantic checks Loki makes in ParseExpr, here with a position.
    [InlineData("""absent_over_time({ foo = "bar" }[5h]) by (foo)""", 1, 1, "grouping not allowed for absent_over_time aggregation")]
    [InlineData("""sum_over_time({a="b"} | unwrap x [5m]) by (foo)""", 1, 1, "grouping not allowed for sum_over_time aggregation")]
    [InlineData("""approx_topk(2, rate({a="b"}[5m])) by (foo)""", 1, 1, "grouping not allowed for approx_topk aggregation")]
    [InlineData("""sum_over_time(50, {a="b"} | unwrap x [5m])""", 1, 15, "parameter 50 not supported for operation sum_over_time")]
    [InlineData("""quantile_over_time({a="b"} | unwrap x [5m])""", 1, 1, "parameter required for operation quantile_over_time")]
    [InlineData("""sum_over_time({a="b"}[5m])""", 1, 1, "invalid aggregation sum_over_time without unwrap")]
    [InlineData("""count_over_time({a="b"} | unwrap x [5m])""", 1, 25, "invalid aggregation count_over_time with unwrap")]
    [InlineData("""sum(3, rate({a="b"}[5m]))""", 1, 5, "unsupported parameter for operation sum(3,")]
    [InlineData("""topk(rate({a="b"}[5m]))""", 1, 1, "parameter required for operation topk")]
    [InlineData("""bottomk(1.2, rate({a="b"}[5m]))""", 1, 9, "invalid parameter bottomk(1.2,")]
    [InlineData("""topk(0, rate({a="b"}[5m]))""", 1, 6, "invalid parameter (must be greater than 0) topk(0")]
    [InlineData("""sort(rate({a="b"}[5m])) by (app)""", 1, 1, "sort and sort_desc doesn't allow grouping by ")]
    [InlineData("""{a="b"} + {a="b"}""", 1, 1, "unexpected type for left leg of binary operation (+): log selector")]
    [InlineData("""rate({a="b"}[5m]) > {a="b"}""", 1, 21, "unexpected type for right leg of binary operation (>): log selector")]
    [InlineData("""rate({a="b"}[5m]) or 1""", 1, 22, "unexpected literal for right leg of logical/set binary operation (or): 1.000000")]
    [InlineData("""1 unless rate({a="b"}[5m])""", 1, 1, "unexpected literal for left leg of logical/set binary operation (unless): 1.000000")]
    [InlineData("""{}""", 1, 1, "queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will")]
    [InlineData("""{a!="b"}""", 1, 1, "queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will")]
    [InlineData("""rate({a=~".*"}[5m])""", 1, 6, "queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will")]
    // Regexes, patterns and templates.
    [InlineData("""{a=~"(b"}""", 1, 5, "invalid regex \"(b\": Invalid pattern '(b' at offset 2. Not enough )'s.")]
    [InlineData("""{a="b", c!~"[z-a]"}""", 1, 12, "invalid regex \"[z-a]\": Invalid pattern '[z-a]' at offset 4. [x-y] range in reverse order.")]
    [InlineData("""{a="b"} |~ "(" """, 1, 12, "invalid regex \"(\": Invalid pattern '(' at offset 1. Not enough )'s.")]
    [InlineData("""{a="b"} | logfmt | x=~"*" """, 1, 23, "invalid regex \"*\": Invalid pattern '*' at offset 1. Quantifier '*' following nothing.")]
    [InlineData("""{a="b"} | regexp "(\\w+)" """, 1, 18, "invalid regexp parser: at least one named capture must be supplied")]
    [InlineData("""{a="b"} | regexp "(?P<x>a)(?P<x>b)" """, 1, 18, "invalid regexp parser: duplicate extracted label name 'x'")]
    [InlineData("""{a="b"} | pattern "foo" """, 1, 19, "invalid pattern parser: at least one capture is required")]
    [InlineData("""{a="b"} | pattern "<a><b>" """, 1, 19, "invalid pattern parser: found consecutive capture '<a><b>': invalid expression")]
    [InlineData("""{a="b"} | pattern "<a> <a>" """, 1, 19, "invalid pattern parser: duplicate capture name (a): invalid expression")]
    [InlineData("""{a="b"} |> "<a> x" """, 1, 12, "invalid line filter pattern: named captures are not allowed: found '<a>'")]
    [InlineData("""label_replace(vector(1), "a", "b", "c", "\\q")""", 1, 41, "invalid regex in label_replace: Invalid pattern '^(?:\\q)$' at offset 6. Unrecognized escape sequence \\q.")]
    [InlineData("""{a="b"} | label_format x=y, x="z" """, 1, 29, "multiple label name 'x' not allowed in a single format operation")]
    [InlineData("""{a="b"} | label_format __error__="z" """, 1, 24, "__error__ cannot be formatted")]
    // Tokens and structure.
    [InlineData("""{a="b"} |~ ip("1.2.3.4")""", 1, 12, "ip() line filters only support |= and !=, not |~")]
    [InlineData("""{a="b"} | unwrap x""", 1, 11, "syntax error: unexpected unwrap")]
    [InlineData("""sum_over_time({a="b"} | unwrap foo(x) [5m])""", 1, 35, "syntax error: unexpected (, expecting RANGE")]
    [InlineData("""rate({a="b"})""", 1, 13, "syntax error: unexpected ), expecting RANGE")]
    [InlineData("""rate({a="b"}[5m] offset)""", 1, 24, "syntax error: unexpected ), expecting DURATION")]
    [InlineData("""{a="b"}[5m]""", 1, 8, "syntax error: unexpected RANGE")]
    [InlineData("""{a="b",}""", 1, 8, "syntax error: unexpected }, expecting IDENTIFIER")]
    [InlineData("""{a}""", 1, 3, "syntax error: unexpected }, expecting = or != or =~ or !~")]
    [InlineData("""{a="b"} | logfmt | x > "5" """, 1, 24, "syntax error: unexpected STRING, expecting NUMBER or DURATION or BYTES")]
    [InlineData("""{a="b"} | logfmt | x""", 1, 21, "syntax error: unexpected $end, expecting = or != or =~ or !~ or == or > or >= or < or <=")]
    [InlineData("""{a="b"} | logfmt | (x="y" """, 1, 27, "syntax error: unexpected $end, expecting )")]
    [InlineData("""sum by (a (rate({a="b"}[5m]))""", 1, 11, "syntax error: unexpected (, expecting , or )")]
    [InlineData("""rate({a="b"}[5m]) > bool""", 1, 25, "syntax error: unexpected $end")]
    [InlineData("""rate({a="b"}[5m]) + bool rate({a="b"}[5m])""", 1, 21, "bool modifier can only be used on comparison operators")]
    [InlineData("""rate({a="b"}[5m]) and on (x) group_left rate({a="b"}[5m])""", 1, 30, "no grouping allowed for \"and\" operation")]
    [InlineData("""rate({a="b"}[5m]) @ 5""", 1, 19, "syntax error: unexpected @")]
    [InlineData("""{a="b"} | logfmt --nope""", 1, 19, "syntax error: unexpected -")]
    [InlineData("""1e400""", 1, 1, "unable to parse literal as a float: \"1e400\"")]
    [InlineData("""{a="\q"}""", 1, 5, "invalid char escape")]
    [InlineData("""{a="\400"}""", 1, 5, "octal escape value > 255")]
    [InlineData("""{a="\xff"}""", 1, 5, "invalid UTF-8 encoding")]
    [InlineData("{a=\"b\"}\n\n        | json |= \"x\"\n        | logfmt | x > )", 4, 24, "syntax error: unexpected ), expecting NUMBER or DURATION or BYTES")]
    public void Reports_loki_style_messages_with_positions(string query, int line, int column, string reason)
    {
        var error = Assert.Throws<LogQLParseException>(() => LogQLParser.Parse(query));
        Assert.Equal(reason, error.Reason);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal($"parse error at line {line}, col {column}: {reason}", error.Message);
        Assert.Equal(column - 1, error.Offset - LineStart(query, error.Offset));
    }

    [Fact]
    public void Refuses_overlong_and_too_deeply_nested_queries()
    {
        var tooLong = Assert.Throws<LogQLParseException>(() => LogQLParser.Parse(new string(' ', LogQLParser.MaxQueryLength)));
        Assert.StartsWith("input size too long", tooLong.Reason, StringComparison.Ordinal);
        var deep = new string('(', 5000) + "1" + new string(')', 5000);
        Assert.Equal("expression nested too deeply", Assert.Throws<LogQLParseException>(() => LogQLParser.Parse(deep)).Reason);
        var deepFilter = """{a="b"} | """ + new string('(', 5000) + "x=\"1\"" + new string(')', 5000);
        Assert.Equal("expression nested too deeply", Assert.Throws<LogQLParseException>(() => LogQLParser.Parse(deepFilter)).Reason);
    }

    [Fact]
    public void Long_flat_chains_do_not_hit_the_nesting_limit()
    {
        var conditions = string.Join(", ", Enumerable.Range(0, 3000).Select(i => $"l{i}=\"{i}\""));
        RoundTripTests.AssertRoundTrip("""{a="b"} | logfmt | """ + conditions);
        RoundTripTests.AssertRoundTrip(string.Join(" + ", Enumerable.Repeat("""rate({a="b"}[1m])""", 2000)));
        RoundTripTests.AssertRoundTrip("""{a="b"}""" + string.Concat(Enumerable.Repeat(""" |= "x" | json""", 2000)));
    }

    private static int LineStart(string query, int offset) => query.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
}
