using System.Text.Json;
using Kansoku.LogQL.Parser;

namespace Kansoku.LogQL.Tests.Parser;

/// <summary>parse -> print -> parse gives an equal tree, and printing is a fixed point after one round.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> Queries() =>
    [
        // selectors
        """{a="b"}""",
        """{a="b", c=~"d.*", e!="f", g!~"h"}""",
        """{ app = "web" , namespace =~ "shop|cart" }""",
        """{app="a\"b\\c\n\t"}""",
        "{app=`raw\\string`}",
        """{app=~"(?i)WEB"}""",
        """{json="x", by="y", or="z", unwrap="u"}""",
        """{app="é日本"}""",
        """{app="\u00e9\x41\101"}""",
        // line filters
        """{a="b"} |= "x" != "y" |~ "re.*" !~ "(?i)nope" |> "<_> GET <_>" !> "<_> 500 <_>" """,
        """{a="b"} |= "a" or "b" or "c" |= "d" """,
        """{a="b"} != "a" or "b" """,
        """{a="b"} |~ "a" or "b" """,
        """{a="b"} |= ip("10.0.0.0/8") != ip("10.1.0.0-10.1.0.255")""",
        """{a="b"} |= "x" or ip("::1")""",
        """{a="b"} |= "" """,
        "{a=\"b\"} |~ `\\d+ms`",
        // parsers
        """{a="b"} | json""",
        """{a="b"} | json status="response.status", ua="request.headers[\"User-Agent\"]", first="servers[0]", plain""",
        """{a="b"} | logfmt""",
        """{a="b"} | logfmt --strict""",
        """{a="b"} | logfmt --keep-empty --strict""",
        """{a="b"} | logfmt --strict code="response.code", ip""",
        """{a="b"} | regexp "(?P<method>\\w+) (?P<path>\\S+)" """,
        """{a="b"} | regexp `(?<ip>\S+) -` """,
        """{a="b"} | pattern "<ip> - <_> [<ts>] \"<method> <path> <_>\" <status> <size>" """,
        """{a="b"} | unpack | decolorize""",
        """{a="b"} | JSON | LOGFMT""",
        // label filters
        """{a="b"} | logfmt | status >= 500""",
        """{a="b"} | logfmt | status == 200 | status = 200 | status != 200 | status > -1 | status <= +2.5 | ratio < 1e-3""",
        """{a="b"} | logfmt | duration > 1s | latency <= 250ms | t == 1h30m | d != -5m | q >= 1.5h | w < 1w2d""",
        """{a="b"} | logfmt | size > 10KB | size <= 5MiB | size == 1500B | size != 2GB | size >= 1.5KiB""",
        """{a="b"} | logfmt | level="error" | level!="debug" | msg=~".*timeout.*" | msg!~"(?i)ok" """,
        """{a="b"} | logfmt | addr=ip("192.168.0.0/16") | addr!=ip("10.0.0.1")""",
        """{a="b"} | logfmt | a="1" and b="2" or c="3" """,
        """{a="b"} | logfmt | a="1" or b="2" and c="3" """,
        """{a="b"} | logfmt | a="1", b="2" """,
        """{a="b"} | logfmt | a="1" b="2" c="3" """,
        """{a="b"} | logfmt | a="1" or b="2", c="3" """,
        """{a="b"} | logfmt | a="1", b="2" or c="3" """,
        """{a="b"} | logfmt | (a="1" or b="2") and c="3" """,
        """{a="b"} | logfmt | a="1" and (b="2" and c="3") """,
        """{a="b"} | logfmt | a="1" or (b="2" or c="3") """,
        """{a="b"} | logfmt | ((a="1")) """,
        """{a="b"} | json | duration >= 20ms or size == 20KB and method!~"2.." """,
        """{a="b"} | json | __error__="" """,
        """{a="b"} | json | __error__!="JSONParserErr" """,
        """{a="b"} | json | (json="x") | (unwrap!="y") | logfmt="z" """,
        // formatting
        """{a="b"} | line_format "{{.status}} {{.path | lower}}" """,
        """{a="b"} | line_format `{{ printf "%s" .x }}` """,
        """{a="b"} | label_format dst=src, svc="{{.namespace}}/{{.app}}" """,
        """{a="b"} | drop a, b="v", c=~"x.*", d!="e" """,
        """{a="b"} | keep a, b!~"v" """,
        """{a="b"} | json | line_format "{{.msg}}" |= "error" """,
        // comments and layout
        """
        {app="foo"} # only foo
          |= "bar"
          # | json
          | logfmt
        """,
        // range aggregations
        """count_over_time({a="b"}[5m])""",
        """rate({a="b"} |= "x" [1m])""",
        """rate_counter({a="b"} | logfmt | unwrap c [1m])""",
        """bytes_over_time({a="b"}[1h])""",
        """bytes_rate({a="b"}[30s])""",
        """absent_over_time({a="b"}[1d])""",
        """absent_over_time({a="b"} | unwrap x [1d])""",
        """sum_over_time({a="b"} | logfmt | unwrap bytes(size) [5m])""",
        """avg_over_time({a="b"} | logfmt | unwrap duration(latency) [5m]) by (path)""",
        """min_over_time({a="b"} | logfmt | unwrap duration_seconds(latency) | __error__="" [5m]) without (pod)""",
        """max_over_time({a="b"} | logfmt | unwrap x | x > 1 | y="z" [5m])""",
        """first_over_time({a="b"} | logfmt | unwrap x [5m]) by ()""",
        """last_over_time({a="b"} | logfmt | unwrap x [5m])""",
        """stddev_over_time({a="b"} | logfmt | unwrap x [5m])""",
        """stdvar_over_time({a="b"} | logfmt | unwrap x [5m])""",
        """quantile_over_time(0.99, {a="b"} | json | unwrap latency [5m]) by (cluster, path)""",
        """quantile_over_time(1e-3, {a="b"} | json | unwrap latency [5m])""",
        """rate({a="b"}[5m] offset 1h)""",
        """rate({a="b"}[5m] offset -30m)""",
        """rate({a="b"}[1h30m])""",
        """rate({a="b"}[1w])""",
        """count_over_time({a="b"}[5m] |= "x" | json)""",
        """count_over_time({a="b"}[5m] offset 1h |= "x")""",
        """sum_over_time({a="b"}[5m] | json | unwrap x)""",
        """count_over_time(({a="b"} |= "x")[5m])""",
        """count_over_time(({a="b"} |= "x")[5m] offset 5m)""",
        """sum_over_time(({a="b"} | unwrap x)[5m])""",
        """count_over_time(({a="b"}[5m]))""",
        """count_over_time({a="b"} |= "x"[5m])""",
        "RATE({a=\"b\"}[5m])",
        // vector aggregations
        """sum(rate({a="b"}[5m]))""",
        """sum by (app) (rate({a="b"}[5m]))""",
        """sum(rate({a="b"}[5m])) by (app)""",
        """sum without (pod, instance) (rate({a="b"}[5m]))""",
        """avg(rate({a="b"}[5m]))""",
        """min(rate({a="b"}[5m]))""",
        """max(rate({a="b"}[5m]))""",
        """count(rate({a="b"}[5m]))""",
        """stddev(rate({a="b"}[5m]))""",
        """stdvar(rate({a="b"}[5m]))""",
        """topk(10, sum by (name) (rate({a="b"}[5m])))""",
        """topk by (name) (10, rate({a="b"}[5m]))""",
        """bottomk(3, rate({a="b"}[5m]))""",
        """approx_topk(5, rate({a="b"}[5m]))""",
        """sort(sum by (a) (rate({a="b"}[5m])))""",
        """sort_desc(rate({a="b"}[5m]))""",
        """sum by () (rate({a="b"}[5m]))""",
        """SUM BY (app) (RATE({a="b"}[5m]))""",
        """sum by (rate, json, by) (rate({a="b"}[5m]))""",
        // binary operators and precedence
        """sum(rate({a="b"}[5m])) * 2""",
        """2 * sum(rate({a="b"}[5m]))""",
        """rate({a="b"}[5m]) + rate({a="c"}[5m]) - rate({a="d"}[5m])""",
        """rate({a="b"}[5m]) - (rate({a="c"}[5m]) - rate({a="d"}[5m]))""",
        """rate({a="b"}[5m]) + rate({a="c"}[5m]) * rate({a="d"}[5m])""",
        """(rate({a="b"}[5m]) + rate({a="c"}[5m])) * rate({a="d"}[5m])""",
        """rate({a="b"}[5m]) / 2 % 3""",
        """2 ^ 3 ^ 2""",
        """(2 ^ 3) ^ 2""",
        """-2 ^ 2""",
        """1 - -1""",
        """1 + 2 * 3 - 4 / 5 % 6 ^ 7""",
        """count_over_time({a="b"}[1m]) > 10""",
        """count_over_time({a="b"}[1m]) > bool 10""",
        """count_over_time({a="b"}[1m]) == 1 != 2 >= 3 <= 4 < 5""",
        """rate({a="b"}[1m]) and rate({a="c"}[1m]) or rate({a="d"}[1m]) unless rate({a="e"}[1m])""",
        """rate({a="b"}[1m]) or rate({a="c"}[1m]) and rate({a="d"}[1m])""",
        """rate({a="b"}[1m]) + 1 > 2 and rate({a="c"}[1m])""",
        """sum by (m) (rate({a="b"}[1m])) / on (m) group_left sum(rate({a="c"}[1m]))""",
        """sum by (m) (rate({a="b"}[1m])) * on (m) group_left (org) max(rate({a="c"}[1m])) by (m, org)""",
        """sum by (m) (rate({a="b"}[1m])) * ignoring (pod) group_right (x, y) sum by (m) (rate({a="c"}[1m]))""",
        """rate({a="b"}[1m]) > bool on () rate({a="c"}[1m])""",
        """rate({a="b"}[1m]) / ignoring () rate({a="c"}[1m])""",
        """rate({a="b"}[1m]) or on (x) rate({a="c"}[1m])""",
        """sum(count_over_time({namespace="traefik"}[5m])) or vector(0)""",
        """vector(1) + vector(2.5)""",
        """1.5e3""",
        """.5""",
        """(((1)))""",
        """label_replace(rate({a="b"}[1m]), "dst", "$1", "src", "(.*):.*")""",
        """label_replace(vector(0), "foo", "bar", "", "")""",
        """sum(label_replace(rate({a="b"}[1m]), "x", "y", "z", "")) by (x)""",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void Print_then_parse_gives_the_same_tree(string query) => AssertRoundTrip(query);

    public static TheoryData<string> DocsQueries()
    {
        var data = new TheoryData<string>();
        var path = Path.Combine(AppContext.BaseDirectory, "testdata", "loki-docs-queries.json");
        foreach (var query in JsonSerializer.Deserialize<string[]>(File.ReadAllText(path))!)
        {
            data.Add(query);
        }
        return data;
    }

    /// <summary>Every query in the LogQL pages of Loki's documentation (docs/sources/query).</summary>
    [Theory]
    [MemberData(nameof(DocsQueries))]
    public void Loki_documentation_queries_round_trip(string query) => AssertRoundTrip(query);

    [Theory]
    [InlineData("""{ app = "web" }""", """{app="web"}""")]
    [InlineData("{a=\"b\"}|=\"x\"|~\"y\"", "{a=\"b\"} |= \"x\" |~ \"y\"")]
    [InlineData("{a=`x`}", """{a="x"}""")]
    [InlineData("{a=\"x\\\\d\"}", "{a=`x\\d`}")]
    [InlineData("""{a="b"} | logfmt | x = 5""", """{a="b"} | logfmt | x==5""")]
    [InlineData("""{a="b"} | logfmt | x > 90s""", """{a="b"} | logfmt | x>1m30s""")]
    [InlineData("""{a="b"} | logfmt | x > 1000B""", """{a="b"} | logfmt | x>1KB""")]
    [InlineData("""{a="b"} | json x""", "{a=\"b\"} | json x=\"x\"")]
    [InlineData("""{a="b"} | logfmt | a="1", b="2" """, "{a=\"b\"} | logfmt | a=\"1\" and b=\"2\"")]
    [InlineData("""{a="b"} | logfmt | a="1", b="2" or c="3" """, "{a=\"b\"} | logfmt | a=\"1\", b=\"2\" or c=\"3\"")]
    [InlineData("""{a="b"} | logfmt | a="1" b="2" c="3" """, "{a=\"b\"} | logfmt | a=\"1\", b=\"2\" and c=\"3\"")]
    [InlineData("""{a="b"} | logfmt | (a="1", b="2" or c="3") or d="4" """, "{a=\"b\"} | logfmt | (a=\"1\", b=\"2\" or c=\"3\") or d=\"4\"")]
    [InlineData("""{a="b"} | logfmt | (a="1" or b="2"), c="3" """, "{a=\"b\"} | logfmt | (a=\"1\" or b=\"2\") and c=\"3\"")]
    [InlineData("""{a="b"} | logfmt | (a="1" or b="2"), c="3" or d="4" """, "{a=\"b\"} | logfmt | (a=\"1\" or b=\"2\"), c=\"3\" or d=\"4\"")]
    [InlineData("""sum(rate({a="b"}[5m])) by (x)""", """sum by (x) (rate({a="b"}[5m]))""")]
    [InlineData("""rate({a="b"}[5m] offset 1h |= "x")""", """rate({a="b"} |= "x" [5m] offset 1h)""")]
    [InlineData("""rate(({a="b"})[60s])""", """rate({a="b"}[1m])""")]
    [InlineData("""(1 + 2) * 3""", """(1 + 2) * 3""")]
    [InlineData("""1 + (2 * 3)""", """1 + 2 * 3""")]
    [InlineData("""COUNT_OVER_TIME({a="b"}[5m]) > BOOL 1""", """count_over_time({a="b"}[5m]) > bool 1""")]
    public void Prints_canonical_text(string query, string canonical)
    {
        Assert.Equal(canonical, LogQLParser.Parse(query).ToString());
        AssertRoundTrip(query);
    }

    internal static void AssertRoundTrip(string query)
    {
        var parsed = LogQLParser.Parse(query);
        var printed = parsed.ToString();
        var reparsed = LogQLParser.Parse(printed);
        AstAssert.Equal(parsed, reparsed);
        Assert.Equal(printed, reparsed.ToString());
    }
}
