using System.Text.Json;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary><c>--output es:URL</c> against a fake <c>_bulk</c> endpoint: request form, per-item results, and a destination that fails for a while.</summary>
public sealed class ElasticsearchOutputTests
{
    private static readonly DateTime s_t0 = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    private static string Order(int seq) => $"{{\"seq\":{seq},\"level\":\"info\",\"msg\":\"order placed\",\"app.version\":\"1.2\"}}";

    private static int Seq(JsonElement document) => document.GetProperty("seq").GetInt32();

    [Fact]
    public void Bulk_requests_carry_one_create_per_record_with_index_and_timestamp()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        log.Append([.. Enumerable.Range(0, 5).Select(i => ContainerLog.Line(s_t0.AddSeconds(i), Order(i)))]);
        using var server = FakeHttpServer.Start(request => BulkBody.AllCreated(request.Body));

        Agent.Succeed(Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "es:" + server.BaseUrl, dir.Combine("state"), "--read-from", "head", "--once"));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/_bulk", request.Path);
        Assert.StartsWith("application/x-ndjson", request.ContentType, StringComparison.Ordinal);
        var items = BulkBody.Parse(request.Body);
        Assert.Equal([0, 1, 2, 3, 4], items.Select(item => Seq(item.Document)));
        Assert.All(items, item =>
        {
            Assert.Equal("create", item.Operation);
            Assert.Equal("fluent-bit", item.Meta.Text("_index"));
            Assert.Equal("web", item.Document.GetProperty("kubernetes").Text("container_name"));
            // replace_dots: "app.version" would be an object path in the mapping.
            Assert.Equal("1.2", item.Document.Text("app_version"));
        });
        Assert.StartsWith("2026-11-25T08:00:03", items[3].Document.Text("@timestamp"), StringComparison.Ordinal);
        Assert.Equal("2026-11-25T08:00:03.000000000Z", items[3].Document.Text("time"));
    }

    [Fact]
    public void Url_with_a_path_prefix_posts_to_its_bulk_endpoint()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        log.Append(ContainerLog.Line(s_t0, Order(0)));
        using var server = FakeHttpServer.Start(request => BulkBody.AllCreated(request.Body));

        Agent.Succeed(Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "es:" + server.BaseUrl + "/es-proxy", dir.Combine("state"), "--read-from", "head", "--once"));

        Assert.Equal("/es-proxy/_bulk", Assert.Single(server.Requests).Path);
    }

    [Fact]
    public void Rejected_items_are_dropped_and_throttled_items_alone_are_sent_again()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        log.Append([.. Enumerable.Range(0, 4).Select(i => ContainerLog.Line(s_t0.AddSeconds(i), Order(i)))]);
        using var server = FakeHttpServer.Start(request => request.Index == 0
            ? BulkBody.Reply(request.Body, (_, document) => Seq(document) switch { 1 => 429, 2 => 400, _ => 201 })
            : BulkBody.AllCreated(request.Body));

        var (_, stderr) = Agent.Succeed(Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "es:" + server.BaseUrl, dir.Combine("state"), "--read-from", "head", "--once"));

        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal([0, 1, 2, 3], BulkBody.Parse(requests[0].Body).Select(item => Seq(item.Document)));
        Assert.Equal([1], BulkBody.Parse(requests[1].Body).Select(item => Seq(item.Document)));
        Assert.Contains("mapper_parsing_exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_destination_failing_for_a_while_gets_every_record_once()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        const int Total = 500;
        log.Append([.. Enumerable.Range(0, Total).Select(i => ContainerLog.Line(s_t0.AddMilliseconds(i), Order(i)))]);
        using var server = FakeHttpServer.Start(request => request.Index < 2
            ? new FakeReply(503, """{"error":"unavailable"}""", RetryAfterSeconds: 1)
            : BulkBody.AllCreated(request.Body));
        var args = Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "es:" + server.BaseUrl, dir.Combine("state"), "--read-from", "head", "--once");

        Agent.Succeed(args);
        var afterFirstRun = server.Requests.Count;
        Agent.Succeed(args);

        Assert.Equal(afterFirstRun, server.Requests.Count);
        var stored = server.Requests.Skip(2).SelectMany(r => BulkBody.Parse(r.Body)).Select(item => Seq(item.Document)).ToList();
        Assert.Equal(Enumerable.Range(0, Total), stored.Order());
        Assert.All(server.Requests.Take(2), r => Assert.NotEmpty(BulkBody.Parse(r.Body)));
    }
}
