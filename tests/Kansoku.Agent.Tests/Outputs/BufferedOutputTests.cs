using System.Text.Json;
using Kansoku.Agent.Outputs;
using static Kansoku.Agent.Tests.Outputs.OutputTestKit;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Outputs;

public sealed class BufferedOutputTests
{
    private static readonly (string, string)[] s_fastRetry = [("scheduler.base", "5ms"), ("scheduler.cap", "20ms")];

    private static List<string> LokiLines(IEnumerable<ReceivedRequest> requests)
    {
        var lines = new List<string>();
        foreach (var request in requests)
        {
            using var push = JsonDocument.Parse(request.Body);
            foreach (var stream in push.RootElement.GetProperty("streams").EnumerateArray())
            {
                foreach (var value in stream.GetProperty("values").EnumerateArray())
                {
                    lines.Add(value[1].GetString()!);
                }
            }
        }
        return lines;
    }

    [Fact]
    public async Task A_server_failing_twice_gets_every_record_exactly_once()
    {
        using var dir = new TempDirectory();
        var accepted = new List<ReceivedRequest>();
        await using var server = new FakeHttpServer((request, index) =>
        {
            if (index < 2)
            {
                return new FakeResponse(500, "overloaded");
            }
            lock (accepted)
            {
                accepted.Add(request);
            }
            return new FakeResponse(204);
        });
        var context = Context(dir.Path);
        await using var output = OutputFactory.Create(Spec("loki", [("url", server.BaseUrl), .. s_fastRetry]), context);
        var records = Enumerable.Range(0, 6).Select(i => Record($"line {i}")).ToArray();
        await output.AcceptAsync(Batch(records[..3]), 3, default);
        await output.AcceptAsync(Batch(records[3..]), 3, default);
        await output.StartAsync(default);
        Assert.True(await output.DrainAsync(TimeSpan.FromSeconds(10), default));

        Assert.Equal(records, LokiLines(accepted));
        Assert.Equal(6, context.Counters.Records);
        Assert.Equal(6, context.Counters.EmittedRecords);
        Assert.Equal(2, context.Counters.Retries);
        Assert.Equal(0, context.Counters.DroppedRecords);
        Assert.Equal(0, context.Counters.BufferedBytes);
    }

    [Fact]
    public async Task Retry_After_from_a_429_is_honoured()
    {
        using var dir = new TempDirectory();
        var time = new RecordingTimeProvider();
        await using var server = new FakeHttpServer((_, index) => index == 0 ? new FakeResponse(429, "slow down", RetryAfter: "7") : new FakeResponse(204));
        var context = Context(dir.Path, time: time);
        await using var output = OutputFactory.Create(Spec("loki", [("url", server.BaseUrl), .. s_fastRetry]), context);
        await output.StartAsync(default);
        await output.AcceptAsync(Batch(Record("hello")), 1, default);
        Assert.True(await output.DrainAsync(TimeSpan.FromSeconds(60), default));

        // The jittered backoff would be at most 5 ms; the server's 7 s must win.
        Assert.Contains(TimeSpan.FromSeconds(7), time.DueTimes);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(1, context.Counters.EmittedRecords);
    }

    [Fact]
    public async Task Retry_Limit_drops_the_batch_and_counts_it()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(503, "down"));
        var context = Context(dir.Path);
        await using var output = OutputFactory.Create(Spec("loki", [("url", server.BaseUrl), ("Retry_Limit", "2"), .. s_fastRetry]), context);
        await output.StartAsync(default);
        await output.AcceptAsync(Batch(Record("a"), Record("b")), 2, default);
        Assert.True(await output.DrainAsync(TimeSpan.FromSeconds(10), default));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, context.Counters.Retries);
        Assert.Equal(1, context.Counters.FailedBatches);
        Assert.Equal(2, context.Counters.DroppedRecords);
        Assert.Equal(0, context.Counters.EmittedRecords);
    }

    [Fact]
    public async Task A_400_is_not_retried_and_the_batch_is_counted_as_dropped()
    {
        using var dir = new TempDirectory();
        var log = new StringWriter();
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(400, "entry too far behind"));
        var context = Context(dir.Path, log: log);
        await using var output = OutputFactory.Create(Spec("loki", [("url", server.BaseUrl), .. s_fastRetry]), context);
        await output.StartAsync(default);
        await output.AcceptAsync(Batch(Record("a")), 1, default);
        Assert.True(await output.DrainAsync(TimeSpan.FromSeconds(10), default));

        Assert.Single(server.Requests);
        Assert.Equal(1, context.Counters.DroppedRecords);
        Assert.Equal(1, context.Counters.FailedBatches);
        Assert.Contains("entry too far behind", log.ToString());
    }

    [Fact]
    public async Task What_a_previous_run_buffered_is_sent_at_start()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(204));
        var spec = () => Spec("loki", [("url", server.BaseUrl), .. s_fastRetry]);
        await using (var first = OutputFactory.Create(spec(), Context(dir.Path)))
        {
            // Never started: the process "dies" with the batch on disk.
            await first.AcceptAsync(Batch(Record("left over")), 1, default);
            Assert.False(await first.DrainAsync(TimeSpan.FromMilliseconds(20), default));
        }
        Assert.Empty(server.Requests);

        var context = Context(dir.Path);
        await using var second = OutputFactory.Create(spec(), context);
        Assert.True(context.Counters.BufferedBytes > 0);
        await second.StartAsync(default);
        Assert.True(await second.DrainAsync(TimeSpan.FromSeconds(10), default));
        Assert.Equal([Record("left over")], LokiLines(server.Requests));
        Assert.Equal(1, context.Counters.EmittedRecords);
    }

    [Fact]
    public async Task A_dead_endpoint_keeps_records_buffered_without_dropping()
    {
        using var dir = new TempDirectory();
        int port;
        await using (var probe = new FakeHttpServer((_, _) => new FakeResponse(204)))
        {
            port = probe.Port;
        }
        var context = Context(dir.Path);
        await using var output = OutputFactory.Create(
            Spec("es", [("host", "127.0.0.1"), ("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. s_fastRetry]), context);
        await output.StartAsync(default);
        await output.AcceptAsync(Batch(Record("kept")), 1, default);
        await WaitUntilAsync(() => context.Counters.Retries >= 2, "connection failures to be retried");
        Assert.False(await output.DrainAsync(TimeSpan.FromMilliseconds(20), default));
        Assert.Equal(0, context.Counters.DroppedRecords);
        Assert.True(context.Counters.BufferedBytes > 0);
    }
}
