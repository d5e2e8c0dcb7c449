using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary>Lines that belong together arrive as one record: stack traces, and CRI partial (P) pieces closed by F.</summary>
public sealed class MultilineTests
{
    private static readonly DateTime s_t0 = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    private static readonly string[] s_javaTrace =
    [
        "Exception in thread \"main\" java.lang.IllegalStateException: order 42 not found",
        "\tat com.example.shop.OrderService.find(OrderService.java:57)",
        "\tat com.example.shop.Main.main(Main.java:12)",
        "Caused by: java.sql.SQLException: connection reset",
        "\tat org.postgresql.Driver.connect(Driver.java:301)",
        "\t... 1 more",
    ];

    private static readonly string[] s_dotnetTrace =
    [
        "Unhandled exception. System.InvalidOperationException: Sequence contains no elements",
        "   at System.Linq.ThrowHelper.ThrowNoElementsException()",
        "   at Shop.Api.OrdersController.Get(Int32 id) in /src/Shop.Api/OrdersController.cs:line 27",
        "--- End of stack trace from previous location ---",
        "   at Program.<Main>$(String[] args) in /src/Program.cs:line 9",
    ];

    private static List<System.Text.Json.JsonElement> Run(TempDirectory dir, Action<ContainerLog> write)
    {
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        write(log);
        var (stdout, _) = Agent.Succeed(Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "stdout", dir.Combine("state"), "--read-from", "head", "--once"));
        return Ndjson.Parse(stdout);
    }

    [Fact]
    public void A_java_stack_trace_becomes_one_record()
    {
        using var dir = new TempDirectory();

        var records = Run(dir, log => log.Append(
        [
            ContainerLog.Line(s_t0, "starting order sync", "stderr"),
            .. s_javaTrace.Select((line, i) => ContainerLog.Line(s_t0.AddMilliseconds(1 + i), line, "stderr")),
            ContainerLog.Line(s_t0.AddSeconds(1), "order sync finished", "stderr"),
        ]));

        Assert.Equal(["starting order sync", string.Join('\n', s_javaTrace), "order sync finished"], records.Select(r => r.Text("log")));
        Assert.Equal(ContainerLog.AgentTime(s_t0.AddMilliseconds(1)), records[1].Text("time"));
        Assert.Equal("stderr", records[1].Text("stream"));
    }

    [Fact]
    public void A_dotnet_stack_trace_becomes_one_record()
    {
        using var dir = new TempDirectory();

        var records = Run(dir, log => log.Append(
        [
            .. s_dotnetTrace.Select((line, i) => ContainerLog.Line(s_t0.AddMilliseconds(i), line, "stderr")),
            ContainerLog.Line(s_t0.AddSeconds(1), "Application is shutting down...", "stderr"),
        ]));

        Assert.Equal([string.Join('\n', s_dotnetTrace), "Application is shutting down..."], records.Select(r => r.Text("log")));
    }

    [Fact]
    public void Partial_pieces_join_per_stream_and_json_split_across_them_is_parsed()
    {
        using var dir = new TempDirectory();

        var records = Run(dir, log => log.Append(
            ContainerLog.Line(s_t0, "part one, ", tag: "P"),
            ContainerLog.Line(s_t0.AddMilliseconds(1), "an error line between the pieces", "stderr"),
            ContainerLog.Line(s_t0.AddMilliseconds(2), "part two, ", tag: "P"),
            ContainerLog.Line(s_t0.AddMilliseconds(3), "end", tag: "F"),
            ContainerLog.Line(s_t0.AddMilliseconds(4), """{"seq":1,"msg":"a long """, tag: "P"),
            ContainerLog.Line(s_t0.AddMilliseconds(5), new string('x', 20_000), tag: "P"),
            ContainerLog.Line(s_t0.AddMilliseconds(6), """ message"}""", tag: "F")));

        var stdout = records.Where(r => r.Text("stream") == "stdout").ToList();
        Assert.Equal(2, stdout.Count);
        Assert.Equal("part one, part two, end", stdout[0].Text("log"));
        Assert.Equal(ContainerLog.AgentTime(s_t0), stdout[0].Text("time"));
        Assert.Equal(1, stdout[1].GetProperty("seq").GetInt32());
        Assert.Equal("a long " + new string('x', 20_000) + " message", stdout[1].Text("msg"));
        Assert.Equal("an error line between the pieces", Assert.Single(records, r => r.Text("stream") == "stderr").Text("log"));
    }
}
