using System.Text;
using Kansoku.LogQL.Engine;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Tests.Engine;

/// <summary>
/// Log queries (Loki's "streams" results) against hand-computed expectations: each case loads streams of
/// (timestamp, line), runs one query over [0, 1000) nanoseconds and compares every output stream (labels after the
/// pipeline) with its entries (timestamp and line after formatting), in the query's direction.
/// </summary>
public sealed class LogQueryTests
{
    private static readonly (string Labels, long Timestamp, string Line)[] s_web =
    [
        ("{app=\"web\", env=\"prod\"}", 10, "GET /users 200 12ms"),
        ("{app=\"web\", env=\"prod\"}", 30, "POST /users 500 340ms error"),
        ("{app=\"web\", env=\"prod\"}", 50, "GET /health 200 1ms"),
        ("{app=\"web\", env=\"dev\"}", 20, "GET /users 404 3ms"),
        ("{app=\"web\", env=\"dev\"}", 40, "DELETE /users/7 500 2s ERROR"),
        ("{app=\"db\"}", 25, "query ok"),
    ];

    [Theory]
    [InlineData("{app=\"web\"}", LogDirection.Forward, 100, """
        {app="web", env="dev"}
          20 GET /users 404 3ms
          40 DELETE /users/7 500 2s ERROR
        {app="web", env="prod"}
          10 GET /users 200 12ms
          30 POST /users 500 340ms error
          50 GET /health 200 1ms
        """)]
    [InlineData("{app=\"web\"}", LogDirection.Backward, 100, """
        {app="web", env="dev"}
          40 DELETE /users/7 500 2s ERROR
          20 GET /users 404 3ms
        {app="web", env="prod"}
          50 GET /health 200 1ms
          30 POST /users 500 340ms error
          10 GET /users 200 12ms
        """)]
    // The limit applies to the merged entries: the 3 oldest overall, from both streams.
    [InlineData("{app=\"web\"}", LogDirection.Forward, 3, """
        {app="web", env="dev"}
          20 GET /users 404 3ms
        {app="web", env="prod"}
          10 GET /users 200 12ms
          30 POST /users 500 340ms error
        """)]
    [InlineData("{app=\"web\"}", LogDirection.Backward, 2, """
        {app="web", env="dev"}
          40 DELETE /users/7 500 2s ERROR
        {app="web", env="prod"}
          50 GET /health 200 1ms
        """)]
    [InlineData("{app=~\"web|db\", env!=\"prod\"}", LogDirection.Forward, 100, """
        {app="db"}
          25 query ok
        {app="web", env="dev"}
          20 GET /users 404 3ms
          40 DELETE /users/7 500 2s ERROR
        """)]
    [InlineData("{app=\"web\"} |= \"users\" != \"500\"", LogDirection.Forward, 100, """
        {app="web", env="dev"}
          20 GET /users 404 3ms
        {app="web", env="prod"}
          10 GET /users 200 12ms
        """)]
    [InlineData("{app=\"web\"} |~ \"(?i)error\"", LogDirection.Forward, 100, """
        {app="web", env="dev"}
          40 DELETE /users/7 500 2s ERROR
        {app="web", env="prod"}
          30 POST /users 500 340ms error
        """)]
    [InlineData("{app=\"web\"} |= \"health\" or \"404\"", LogDirection.Forward, 100, """
        {app="web", env="dev"}
          20 GET /users 404 3ms
        {app="web", env="prod"}
          50 GET /health 200 1ms
        """)]
    [InlineData("{app=\"web\"} !~ \"^GET\" !> \"<_> 500 <_> error\"", LogDirection.Forward, 100, """
        {app="web", env="dev"}
          40 DELETE /users/7 500 2s ERROR
        """)]
    [InlineData("{app=\"web\"} |> \"<_> /users <_>\"", LogDirection.Forward, 100, """
        {app="web", env="dev"}
          20 GET /users 404 3ms
        {app="web", env="prod"}
          10 GET /users 200 12ms
          30 POST /users 500 340ms error
        """)]
    // pattern: a line that does not fit keeps its labels; captures become labels, so entries split into streams.
    [InlineData("{app=\"web\"} | pattern \"<method> <path> <status> <_>\" | status >= 400", LogDirection.Forward, 100, """
        {app="web", env="dev", method="DELETE", path="/users/7", status="500"}
          40 DELETE /users/7 500 2s ERROR
        {app="web", env="dev", method="GET", path="/users", status="404"}
          20 GET /users 404 3ms
        {app="web", env="prod", method="POST", path="/users", status="500"}
          30 POST /users 500 340ms error
        """)]
    [InlineData("{app=\"web\", env=\"prod\"} | regexp \"^(?P<method>\\\\w+) (?P<path>\\\\S+)(?: (?P<code>5\\\\d\\\\d))?\" | line_format \"{{.method}}:{{.code}}\"", LogDirection.Forward, 100, """
        {app="web", code="", env="prod", method="GET", path="/health"}
          50 GET:
        {app="web", code="", env="prod", method="GET", path="/users"}
          10 GET:
        {app="web", code="500", env="prod", method="POST", path="/users"}
          30 POST:500
        """)]
    [InlineData("{app=\"web\", env=\"dev\"} | line_format \"{{.env | ToUpper}}: {{ __line__ | trunc 6 }}\"", LogDirection.Forward, 100, """
        {app="web", env="dev"}
          20 DEV: GET /u
          40 DEV: DELETE
        """)]
    [InlineData("{app=\"web\", env=\"dev\"} | label_format where=`{{.app}}-{{.env}}`, stage=env | keep where, stage", LogDirection.Forward, 1, """
        {stage="dev", where="web-dev"}
          20 GET /users 404 3ms
        """)]
    [InlineData("{app=\"web\"} | drop env", LogDirection.Forward, 3, """
        {app="web"}
          10 GET /users 200 12ms
          20 GET /users 404 3ms
          30 POST /users 500 340ms error
        """)]
    // Streams sort by their label text, as Loki's do: "{app=\"web\", ..." comes before "{app=\"web\"}".
    [InlineData("{app=\"web\"} | drop env=\"dev\"", LogDirection.Forward, 3, """
        {app="web", env="prod"}
          10 GET /users 200 12ms
          30 POST /users 500 340ms error
        {app="web"}
          20 GET /users 404 3ms
        """)]
    [InlineData("{app=\"web\"} | keep app, env=\"prod\"", LogDirection.Forward, 3, """
        {app="web", env="prod"}
          10 GET /users 200 12ms
          30 POST /users 500 340ms error
        {app="web"}
          20 GET /users 404 3ms
        """)]
    public void Selects_filters_and_reshapes_streams(string query, LogDirection direction, int limit, string expected) =>
        AssertStreams(s_web, query, direction, limit, expected);

    [Theory]
    // Nested objects flatten with _, arrays and nulls are skipped, numbers and booleans keep their text, keys are
    // sanitized, a stream label's name gets _extracted, and a duplicate key keeps its first value.
    [InlineData("""{"level":"info","req":{"method":"GET","path":"/a","headers":{"X-Id":"7"}},"ok":true,"n":1.50,"tags":["a"],"none":null,"app":"x","level":"dup","9lives":1}""",
        "{app=\"j\"} | json", """
        {_9lives="1", app="j", app_extracted="x", level="info", n="1.50", ok="true", req_headers_X_Id="7", req_method="GET", req_path="/a"}
        """)]
    [InlineData("""{"msg":"tab\there \"quoted\" \u00e9"}""", "{app=\"j\"} | json | line_format \"{{.msg}}\"", """
        {app="j", msg="tab\there \"quoted\" é"}
          1 tab	here "quoted" é
        """)]
    // Fields read before the fault stay; the error and its details become labels.
    [InlineData("""{"a":"1","b":}""", "{app=\"j\"} | json", """
        {__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", a="1", app="j"}
        """)]
    [InlineData("plain text", "{app=\"j\"} | json | __error__=\"\"", "")]
    [InlineData("plain text", "{app=\"j\"} | json | drop __error__, __error_details__", """
        {app="j"}
        """)]
    [InlineData("""{"user":{"id":"u1","name":{"first":"Ann"}},"tags":["x","y"],"h":{"User-Agent":"curl"},"v":null}""",
        "{app=\"j\"} | json id=\"user.id\", name=\"user.name\", tag=\"tags[1]\", ua=`h[\"User-Agent\"]`, v, missing=\"user.age\", app=\"user.id\"", """
        {app="j", app_extracted="u1", id="u1", missing="", name="{\"first\":\"Ann\"}", tag="y", ua="curl", v=""}
        """)]
    [InlineData("""level=info msg="hello \"world\"" empty= standalone 9x=1 a-b=2 level=dup app=y""", "{app=\"j\"} | logfmt", """
        {_9x="1", a_b="2", app="j", app_extracted="y", level="info", msg="hello \"world\""}
        """)]
    [InlineData("""level=info empty= standalone""", "{app=\"j\"} | logfmt --keep-empty", """
        {app="j", empty="", level="info", standalone=""}
        """)]
    // Non-strict logfmt skips the bad pair; --strict stops there and reports it.
    [InlineData("""a=1 b="x=2 c=3""", "{app=\"j\"} | logfmt", """
        {a="1", app="j"}
        """)]
    [InlineData("""a=1 =2 c=3""", "{app=\"j\"} | logfmt --strict", """
        {__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 5 : unexpected '='", a="1", app="j"}
        """)]
    [InlineData("""level=info status=200 user=bob""", "{app=\"j\"} | logfmt code=\"status\", level, missing", """
        {app="j", code="200", level="info", missing=""}
        """)]
    [InlineData("""{"lvl":"info","n":5,"_entry":"status=500 inner"}""", "{app=\"j\"} | unpack | logfmt", """
        {app="j", lvl="info", status="500"}
          1 status=500 inner
        """)]
    [InlineData("""{"lvl":"info"}""", "{app=\"j\"} | unpack", """
        {app="j"}
        """)]
    [InlineData("\u001b[31mred\u001b[0m text", "{app=\"j\"} | decolorize", """
        {app="j"}
          1 red text
        """)]
    public void Parses_lines_into_labels(string line, string query, string expected)
    {
        var expectedText = expected.Contains("\n  ", StringComparison.Ordinal) || expected.Length == 0
            ? expected
            : expected.TrimEnd() + "\n  1 " + line;
        AssertStreams([("{app=\"j\"}", 1, line)], query, LogDirection.Forward, 100, expectedText);
    }

    [Theory]
    [InlineData("{app=\"m\"} | logfmt | status > 400", """
        {__error__="LabelFilterErr", __error_details__="strconv.ParseFloat: parsing \"abc\": invalid syntax", app="m", duration="fast", size="big", status="abc"}
          4 status=abc duration=fast size=big
        {app="m", duration="150ms", size="10KB", status="404"}
          2 status=404 duration=150ms size=10KB
        {app="m", duration="2s", size="3KiB", status="503"}
          3 status=503 duration=2s size=3KiB
        """)]
    [InlineData("{app=\"m\"} | logfmt | status > 400 | __error__=\"\"", """
        {app="m", duration="150ms", size="10KB", status="404"}
          2 status=404 duration=150ms size=10KB
        {app="m", duration="2s", size="3KiB", status="503"}
          3 status=503 duration=2s size=3KiB
        """)]
    [InlineData("{app=\"m\"} | logfmt | duration >= 150ms, size < 5KB", """
        {__error__="LabelFilterErr", __error_details__="time: invalid duration \"fast\"", app="m", duration="fast", size="big", status="abc"}
          4 status=abc duration=fast size=big
        {app="m", duration="2s", size="3KiB", status="503"}
          3 status=503 duration=2s size=3KiB
        """)]
    // `and` binds tighter; a value that does not convert passes its filter (with __error__), so `or` keeps line 4.
    [InlineData("{app=\"m\"} | logfmt | status == 200 or duration > 1s and __error__=\"\"", """
        {__error__="LabelFilterErr", __error_details__="strconv.ParseFloat: parsing \"abc\": invalid syntax", app="m", duration="fast", size="big", status="abc"}
          4 status=abc duration=fast size=big
        {app="m", duration="12ms", size="1KB", status="200"}
          1 status=200 duration=12ms size=1KB
        {app="m", duration="2s", size="3KiB", status="503"}
          3 status=503 duration=2s size=3KiB
        """)]
    [InlineData("{app=\"m\"} | logfmt | status=~\"4..|5..\" | line_format `{{ printf \"%s took %-6s|\" .status .duration }}`", """
        {app="m", duration="150ms", size="10KB", status="404"}
          2 404 took 150ms |
        {app="m", duration="2s", size="3KiB", status="503"}
          3 503 took 2s    |
        """)]
    [InlineData("{app=\"m\"} | logfmt | label_format status=`{{ if eq .status \"200\" }}ok{{ else }}fail{{ end }}` | drop duration, size", """
        {app="m", status="fail"}
          2 status=404 duration=150ms size=10KB
          3 status=503 duration=2s size=3KiB
          4 status=abc duration=fast size=big
        {app="m", status="ok"}
          1 status=200 duration=12ms size=1KB
        """)]
    [InlineData("{app=\"m\"} | logfmt | line_format `{{ .size | bytes }} {{ .duration | duration }}` | __error__=\"\"", """
        {app="m", duration="12ms", size="1KB", status="200"}
          1 1000 0.012
        {app="m", duration="150ms", size="10KB", status="404"}
          2 10000 0.15
        {app="m", duration="2s", size="3KiB", status="503"}
          3 3072 2
        """)]
    [InlineData("{app=\"m\"} | logfmt | status=\"abc\" | line_format `{{ .size | bytes }}`", """
        {__error__="TemplateFormatErr", __error_details__="template: line:1:11: executing \"line\" at <bytes>: error calling bytes: strconv.ParseFloat: parsing \"\": invalid syntax", app="m", duration="fast", size="big", status="abc"}
          4 status=abc duration=fast size=big
        """)]
    [InlineData("{app=\"m\"} | logfmt | status=\"200\" | line_format `{{ __timestamp__ | date \"2006-01-02T15:04:05.000Z07:00\" }} {{ __timestamp__ | unixEpochNanos }}`", """
        {app="m", duration="12ms", size="1KB", status="200"}
          1 1970-01-01T00:00:00.000Z 1
        """)]
    public void Filters_and_formats_labels(string query, string expected)
    {
        (string, long, string)[] entries =
        [
            ("{app=\"m\"}", 1, "status=200 duration=12ms size=1KB"),
            ("{app=\"m\"}", 2, "status=404 duration=150ms size=10KB"),
            ("{app=\"m\"}", 3, "status=503 duration=2s size=3KiB"),
            ("{app=\"m\"}", 4, "status=abc duration=fast size=big"),
        ];
        AssertStreams(entries, query, LogDirection.Forward, 100, expected);
    }

    [Fact]
    public void Ip_filters_match_addresses_in_lines_and_labels()
    {
        (string, long, string)[] entries =
        [
            ("{app=\"n\"}", 1, "from 10.1.2.3 to 8.8.8.8"),
            ("{app=\"n\"}", 2, "addr=192.168.1.20"),
            ("{app=\"n\"}", 3, "addr=2001:db8::1"),
            ("{app=\"n\"}", 4, "addr=010.1.2.3"),
        ];
        AssertStreams(entries, "{app=\"n\"} |= ip(\"10.0.0.0/8\")", LogDirection.Forward, 100, """
            {app="n"}
              1 from 10.1.2.3 to 8.8.8.8
            """);
        AssertStreams(entries, "{app=\"n\"} |= ip(\"2001:db8::/32\")", LogDirection.Forward, 100, """
            {app="n"}
              3 addr=2001:db8::1
            """);
        AssertStreams(entries, "{app=\"n\"} | logfmt | addr=ip(\"192.168.1.10-192.168.1.30\")", LogDirection.Forward, 100, """
            {addr="192.168.1.20", app="n"}
              2 addr=192.168.1.20
            """);
        AssertStreams(entries, "{app=\"n\"} | logfmt | addr!=ip(\"192.168.1.20\")", LogDirection.Forward, 100, """
            {addr="010.1.2.3", app="n"}
              4 addr=010.1.2.3
            {addr="2001:db8::1", app="n"}
              3 addr=2001:db8::1
            """);
    }

    [Fact]
    public void Runs_the_documentations_logfmt_example()
    {
        (string, long, string)[] entries =
        [
            ("{container=\"query-frontend\", namespace=\"loki-dev\"}", 1, "caller=metrics.go:92 duration=12.3s throughput_mb=250"),
            ("{container=\"query-frontend\", namespace=\"loki-dev\"}", 2, "caller=metrics.go:92 duration=1.5s throughput_mb=100"),
            ("{container=\"query-frontend\", namespace=\"loki-dev\"}", 3, "caller=metrics.go:92 duration=1m throughput_mb=900"),
            ("{container=\"query-frontend\", namespace=\"loki-dev\"}", 4, "caller=engine.go:50 duration=30s throughput_mb=1"),
        ];
        AssertStreams(entries, "{container=\"query-frontend\",namespace=\"loki-dev\"} |= \"metrics.go\" | logfmt | duration > 10s and throughput_mb < 500",
            LogDirection.Backward, 100, """
            {caller="metrics.go:92", container="query-frontend", duration="12.3s", namespace="loki-dev", throughput_mb="250"}
              1 caller=metrics.go:92 duration=12.3s throughput_mb=250
            """);
    }

    [Fact]
    public void Interval_keeps_one_entry_per_interval()
    {
        (string, long, string)[] entries = [.. Enumerable.Range(0, 10).Select(i => ("{app=\"i\"}", (long)(i * 10), $"line {i}"))];
        var result = Query(entries, "{app=\"i\"}", LogDirection.Forward, 100, interval: 25);
        Assert.Equal("""
            {app="i"}
              0 line 0
              30 line 3
              60 line 6
              90 line 9

            """.ReplaceLineEndings("\n"), Render(result));
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    public void Passes_required_substrings_to_the_store_and_still_filters(bool storeIgnoresHints, int scanned)
    {
        var querier = new InMemoryLogQuerier { IgnoreRequiredSubstrings = storeIgnoresHints };
        querier.Add("{app=\"s\"}", 1, "GET error").Add("{app=\"s\"}", 2, "POST error").Add("{app=\"s\"}", 3, "GET ok");
        var engine = new LogQLEngine(querier);
        var result = (StreamsResult)engine.QueryRange("{app=\"s\"} |= \"GET\" |~ \"e.r\" | line_format \"x\" |= \"x\"", 0, 100, 0, LogDirection.Forward, 10);
        var select = Assert.Single(querier.Selects);
        Assert.Equal(["GET"], select.RequiredSubstrings.Select(Encoding.UTF8.GetString));
        Assert.Equal(0, select.StartUnixNano);
        Assert.Equal(100, select.EndUnixNano);
        var stream = Assert.Single(result.Streams);
        Assert.Equal([new LogResultEntry(1, "x")], stream.Entries);
        Assert.Equal(scanned, result.Statistics.EntriesScanned);
        Assert.Equal(0, querier.OpenReaders);
    }

    [Fact]
    public void End_of_range_is_exclusive()
    {
        var result = Query([("{app=\"e\"}", 100, "at end"), ("{app=\"e\"}", 0, "at start")], "{app=\"e\"}", LogDirection.Forward, 10, end: 100);
        Assert.Equal("{app=\"e\"}\n  0 at start\n", Render(result));
    }

    private static void AssertStreams((string Labels, long Timestamp, string Line)[] entries, string query, LogDirection direction, int limit, string expected)
    {
        var result = Query(entries, query, direction, limit);
        var wanted = expected.ReplaceLineEndings("\n");
        if (wanted.Length > 0 && !wanted.EndsWith('\n'))
        {
            wanted += "\n";
        }
        Assert.Equal(wanted, Render(result));
    }

    private static StreamsResult Query((string Labels, long Timestamp, string Line)[] entries, string query, LogDirection direction, int limit,
        long interval = 0, long end = 1000)
    {
        var querier = new InMemoryLogQuerier();
        foreach (var (labels, timestamp, line) in entries)
        {
            querier.Add(labels, timestamp, line);
        }
        var result = new LogQLEngine(querier).QueryRange(query, 0, end, 0, direction, limit, interval);
        Assert.Equal(0, querier.OpenReaders);
        return Assert.IsType<StreamsResult>(result);
    }

    private static string Render(StreamsResult result)
    {
        var text = new StringBuilder();
        foreach (var stream in result.Streams)
        {
            text.Append(stream.Labels).Append('\n');
            foreach (var entry in stream.Entries)
            {
                text.Append("  ").Append(entry.TimestampUnixNano).Append(' ').Append(entry.Line).Append('\n');
            }
        }
        return text.ToString();
    }
}
