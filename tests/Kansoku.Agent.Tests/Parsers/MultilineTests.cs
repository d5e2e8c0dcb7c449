using System.Text;
using Kansoku.Agent.Config;
using Kansoku.Agent.Parsers.Multiline;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Tests.Parsers;

public sealed class MultilineTests
{
    private const string Java = """
        2024-01-02 03:04:05.123 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() failed
        java.lang.IllegalStateException: order 42 has no lines
        	at com.example.orders.OrderService.total(OrderService.java:87)
        	at com.example.orders.OrderController.get(OrderController.java:31)
        	at java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
        Caused by: java.lang.NullPointerException: Cannot invoke "java.util.List.size()" because "lines" is null
        	at com.example.orders.Order.lineCount(Order.java:19)
        	... 42 more
        2024-01-02 03:04:06.001  INFO 1 --- [nio-8080-exec-2] c.e.orders.OrderController : GET /orders/43
        """;

    private const string Python = """
        ERROR:app:payment failed
        Traceback (most recent call last):
          File "/app/pay.py", line 12, in charge
            resp = client.post(url, json=body)
          File "/usr/lib/python3.12/site-packages/requests/api.py", line 115, in post
            return request("post", url, data=data, json=json, **kwargs)
        requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pay', port=443): Max retries exceeded

        During handling of the above exception, another exception occurred:

        Traceback (most recent call last):
          File "/app/pay.py", line 14, in charge
            raise PaymentError("gateway down")
        app.errors.PaymentError: gateway down
        INFO:app:retrying in 5s
        """;

    private const string Go = """
        starting worker pool size=4
        panic: runtime error: index out of range [5] with length 3

        goroutine 1 [running]:
        main.pick(...)
        	/app/main.go:14
        main.main()
        	/app/main.go:9 +0x1d
        exit status 2
        worker restarted (pid 8)
        """;

    private const string DotNet = """
        info: Microsoft.Hosting.Lifetime[0] Application started.
        Unhandled exception. System.InvalidOperationException: Sequence contains no elements
         ---> System.ArgumentException: Value does not fall within the expected range.
           at Kansoku.Demo.Repository.Load(Int32 id) in /src/Repository.cs:line 27
           --- End of inner exception stack trace ---
           at System.Linq.ThrowHelper.ThrowNoElementsException()
           at Kansoku.Demo.Program.Main(String[] args) in /src/Program.cs:line 12
        next line
        """;

    private const string Node = """
        server listening on 3000
        TypeError: Cannot read properties of undefined (reading 'id')
            at getUser (/app/src/users.js:10:21)
            at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)
            at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
        GET /users/7 500
        """;

    [Theory]
    [InlineData("java", Java, new[] { 8, 1 })]
    [InlineData("python", Python, new[] { 14, 1 })]
    [InlineData("go", Go, new[] { 1, 8, 1 })]
    [InlineData("dotnet", DotNet, new[] { 1, 6, 1 })]
    [InlineData("nodejs", Node, new[] { 1, 4, 1 })]
    public void Each_language_mode_joins_its_traces(string mode, string text, int[] linesPerRecord)
    {
        Assert.Equal(linesPerRecord, Join(mode, text).Select(r => r.ContentAsString().Split('\n').Length));
        Assert.Equal(linesPerRecord, Join("auto", text).Select(r => r.ContentAsString().Split('\n').Length));
    }

    [Fact]
    public void Joined_record_keeps_first_time_and_spans_the_offsets()
    {
        var records = Join("java", Java);
        var joined = records[0];
        var lines = Java.Split('\n');
        Assert.Equal(string.Join('\n', lines[..8]), joined.ContentAsString());
        Assert.Equal(1000, joined.TimeUnixNano);
        Assert.Equal(0, joined.SourceOffset);
        Assert.Equal(lines[..8].Sum(l => Encoding.UTF8.GetByteCount(l) + 1), joined.SourceEndOffset);
        Assert.Equal(joined.SourceEndOffset, records[1].SourceOffset);
    }

    [Fact]
    public void Ordinary_lines_are_not_joined_and_python_messages_stay_apart_without_a_traceback()
    {
        var text = "GET / 200\n  indented but not a frame\nWARNING:root:low disk\nINFO:root:ok";
        Assert.Equal(4, Join("auto", text).Count);
    }

    [Fact]
    public void Language_modes_ignore_other_languages()
    {
        Assert.Equal(6, Join("python", Node).Count);
        Assert.Equal(10, Join("java", Go).Count);
    }

    [Fact]
    public void Held_record_flushes_after_the_timeout_and_guards_the_checkpoint()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var aggregator = new MultilineAggregator(MultilineFactory.CreateBuiltIn("java")!, TimeSpan.FromSeconds(1), clock);
        var completed = new List<LogRecord>();
        aggregator.Add(Line("java.lang.RuntimeException: boom", 100, 133), completed);
        aggregator.Add(Line("\tat a.B.c(B.java:1)", 133, 153), completed);
        Assert.Empty(completed);
        Assert.True(aggregator.HasPending);
        Assert.Equal(100, aggregator.PendingStartOffset);

        clock.Advance(TimeSpan.FromMilliseconds(999));
        aggregator.FlushExpired(completed);
        Assert.Empty(completed);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        aggregator.FlushExpired(completed);
        var record = Assert.Single(completed);
        Assert.Equal("java.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)", record.ContentAsString());
        Assert.Equal(153, record.SourceEndOffset);
        Assert.False(aggregator.HasPending);
        Assert.Equal(-1, aggregator.PendingStartOffset);
    }

    [Fact]
    public void Joined_records_are_capped_by_lines_and_bytes()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var completed = new List<LogRecord>();
        var byLines = new MultilineAggregator(MultilineFactory.CreateBuiltIn("java")!, TimeSpan.FromSeconds(1), clock, maxLines: 3);
        byLines.Add(Line("java.lang.Error: x", 0, 1), completed);
        for (var i = 0; i < 5; i++)
        {
            byLines.Add(Line($"\tat f{i}()", 0, 1), completed);
        }
        byLines.FlushAll(completed);
        Assert.Equal([3, 3], completed.Select(r => r.ContentAsString().Split('\n').Length));

        completed.Clear();
        var huge = new string('x', 2 << 20);
        var byBytes = new MultilineAggregator(MultilineFactory.CreateBuiltIn("java")!, TimeSpan.FromSeconds(1), clock, maxBytes: 1 << 20);
        byBytes.Add(Line("java.lang.Error: " + huge, 0, 1), completed);
        byBytes.Add(Line("\tat f()", 0, 1), completed);
        byBytes.FlushAll(completed);
        Assert.Equal(2, completed.Count);
        Assert.Equal(huge.Length + 17, completed[0].Content.Length);
    }

    [Fact]
    public void Regex_multiline_parser_section()
    {
        var spec = ParserSpecs.Spec(ComponentKind.MultilineParser,
            ("name", "multiline-custom"),
            ("type", "regex"),
            ("flush_timeout", "1500"),
            ("rule", "\"start_state\"   \"/^[A-Z][a-z]{2} \\d+ \\d+:\\d+:\\d+ (.*)/\"  \"cont\""),
            ("rule", "\"cont\"          \"/^\\s+at .*/\"                     \"cont\""));
        var definition = MultilineFactory.Create(spec);
        Assert.Equal("multiline-custom", definition.Name);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), definition.FlushTimeout);
        Assert.Empty(spec.UnusedProperties());

        var text = "Dec 14 06:41:08 Exception in thread \"main\" java.lang.RuntimeException: boom\n"
            + "    at com.myproject.module.MyProject.badMethod(MyProject.java:22)\n"
            + "    at com.myproject.module.MyProject.main(MyProject.java:6)\n"
            + "a line no rule matches\n"
            + "Dec 14 06:41:09 another single line";
        var records = Join(definition.Rule, text);
        Assert.Equal([3, 1, 1], records.Select(r => r.ContentAsString().Split('\n').Length));
    }

    [Theory]
    [InlineData("type", "other")]
    [InlineData("rule", "\"start_state\" \"/(/\" \"cont\"")]
    [InlineData("rule", "\"start_state\" \"/x/\"")]
    [InlineData("rule", "\"cont\" \"/x/\" \"cont\"")]
    [InlineData("flush_timeout", "soon")]
    public void Bad_multiline_sections_name_the_key(string key, string value)
    {
        var properties = new List<(string, string)> { ("name", "m"), ("type", "regex"), ("rule", "\"start_state\" \"/^x/\" \"cont\"") };
        properties.RemoveAll(p => p.Item1 == key);
        properties.Add((key, value));
        var e = Assert.Throws<ConfigException>(() => MultilineFactory.Create(ParserSpecs.Spec(ComponentKind.MultilineParser, [.. properties])));
        Assert.Equal(key, e.Key, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Unknown_built_in_names()
    {
        Assert.Null(MultilineFactory.CreateBuiltIn("cobol"));
        Assert.NotNull(MultilineFactory.CreateBuiltIn("default"));
    }

    private static List<LogRecord> Join(string mode, string text) => Join(MultilineFactory.CreateBuiltIn(mode)!, text);

    private static List<LogRecord> Join(IMultilineRule rule, string text)
    {
        var aggregator = new MultilineAggregator(rule, TimeSpan.FromSeconds(5), new ManualTimeProvider(DateTimeOffset.UnixEpoch));
        var completed = new List<LogRecord>();
        long offset = 0;
        var time = 1000L;
        foreach (var line in text.Split('\n'))
        {
            var end = offset + Encoding.UTF8.GetByteCount(line) + 1;
            var record = Line(line, offset, end);
            record.TimeUnixNano = time++;
            aggregator.Add(record, completed);
            offset = end;
        }
        aggregator.FlushAll(completed);
        return completed;
    }

    private static LogRecord Line(string content, long offset, long end) => new()
    {
        Content = Encoding.UTF8.GetBytes(content),
        SourceOffset = offset,
        SourceEndOffset = end,
        Stream = LogStream.Stderr,
    };
}
