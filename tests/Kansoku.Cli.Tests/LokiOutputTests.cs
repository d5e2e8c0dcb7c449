using System.Text.Json;
using Kansoku.Api.Contracts.Loki;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary><c>--output loki:URL</c> (JSON push) and <c>kansoku:URL</c> (snappy protobuf push) against fake push endpoints.</summary>
public sealed class LokiOutputTests
{
    private static readonly DateTime s_t0 = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    private static ContainerLog WriteLogs(string root)
    {
        var log = ContainerLog.Create(root, "shop", "web-1", "web");
        log.Append(
            ContainerLog.Line(s_t0, """{"seq":0,"level":"info","msg":"order placed"}"""),
            ContainerLog.Line(s_t0.AddSeconds(1), "panic: nil map", stream: "stderr"),
            ContainerLog.Line(s_t0.AddSeconds(2), """{"seq":2,"level":"info","msg":"order shipped"}"""));
        return log;
    }

    private static long UnixNanos(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;

    [Fact]
    public void Loki_and_kansoku_outputs_push_the_same_records_as_json_and_as_snappy_protobuf()
    {
        using var dir = new TempDirectory();
        WriteLogs(dir.Path);
        using var loki = FakeHttpServer.Start(_ => new FakeReply(204, ""));
        using var kansoku = FakeHttpServer.Start(_ => new FakeReply(204, ""));

        Agent.Succeed(["agent", "--path", ContainerLog.ContainersGlob(dir.Path), "--output", "loki:" + loki.BaseUrl,
            "--output", "kansoku:" + kansoku.BaseUrl, "--state-dir", dir.Combine("state"), "--read-from", "head", "--once"]);

        var json = Assert.Single(loki.Requests);
        Assert.Equal("/loki/api/v1/push", json.Path);
        Assert.StartsWith("application/json", json.ContentType, StringComparison.Ordinal);
        var jsonEntries = new List<(string Labels, long Nanos, string Line)>();
        using (var document = JsonDocument.Parse(json.Body))
        {
            foreach (var stream in document.RootElement.GetProperty("streams").EnumerateArray())
            {
                var labels = string.Join(',', stream.GetProperty("stream").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
                foreach (var value in stream.GetProperty("values").EnumerateArray())
                {
                    jsonEntries.Add((labels, long.Parse(value[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture), value[1].GetString()!));
                }
            }
        }

        var protobuf = Assert.Single(kansoku.Requests);
        Assert.Equal("/loki/api/v1/push", protobuf.Path);
        Assert.StartsWith("application/x-protobuf", protobuf.ContentType, StringComparison.Ordinal);
        var push = PushRequest.Parser.ParseFrom(Snappier.Snappy.DecompressToArray(protobuf.Body));
        var protobufEntries = push.Streams
            .SelectMany(s => s.Entries.Select(e => (s.Labels, e.Timestamp.Seconds * 1_000_000_000 + e.Timestamp.Nanos, e.Line)))
            .ToList();

        string[] expectedLabels =
        [
            "container=web,namespace=shop,pod=web-1,stream=stdout",
            "container=web,namespace=shop,pod=web-1,stream=stderr",
            "container=web,namespace=shop,pod=web-1,stream=stdout",
        ];
        long[] expectedNanos = [UnixNanos(s_t0), UnixNanos(s_t0.AddSeconds(1)), UnixNanos(s_t0.AddSeconds(2))];
        var byTime = jsonEntries.OrderBy(e => e.Nanos).ToList();
        Assert.Equal(expectedLabels, byTime.Select(e => e.Labels));
        Assert.Equal(expectedNanos, byTime.Select(e => e.Nanos));
        Assert.Equal("order placed", Ndjson.Parse(byTime[0].Line)[0].Text("msg"));
        Assert.Equal("panic: nil map", Ndjson.Parse(byTime[1].Line)[0].Text("log"));

        var protobufByTime = protobufEntries.OrderBy(e => e.Item2).ToList();
        Assert.Equal(expectedNanos, protobufByTime.Select(e => e.Item2));
        Assert.Equal(byTime.Select(e => e.Line), protobufByTime.Select(e => e.Line));
        Assert.Equal(
            ["{container=\"web\", namespace=\"shop\", pod=\"web-1\", stream=\"stderr\"}", "{container=\"web\", namespace=\"shop\", pod=\"web-1\", stream=\"stdout\"}"],
            push.Streams.Select(s => s.Labels).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Loki_rejecting_a_push_with_400_drops_it_rather_than_blocking_the_agent()
    {
        using var dir = new TempDirectory();
        WriteLogs(dir.Path);
        using var loki = FakeHttpServer.Start(_ => new FakeReply(400, "entry too far behind"));

        var (_, stderr) = Agent.Succeed(Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "loki:" + loki.BaseUrl, dir.Combine("state"), "--read-from", "head", "--once"));

        Assert.Single(loki.Requests);
        Assert.Contains("entry too far behind", stderr, StringComparison.Ordinal);
    }
}
