using System.Text.Json;
using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs;
using Kansoku.Api.Contracts.Loki;
using static Kansoku.Agent.Tests.Outputs.OutputTestKit;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Outputs;

public sealed class LokiOutputTests
{
    private const string WebLabels = "{app=\"web\", container=\"web\", namespace=\"default\", node=\"node-1\", pod=\"web-7d9f-abcde\", stream=\"stdout\"}";

    private static async Task<ReceivedRequest> PushAsync(ComponentSpec spec, FakeHttpServer server, params string[] records)
    {
        using var dir = new TempDirectory();
        var context = Context(dir.Path);
        await using var output = OutputFactory.Create(spec, context);
        await output.StartAsync(default);
        await output.AcceptAsync(Batch(records), records.Length, default);
        Assert.True(await output.DrainAsync(TimeSpan.FromSeconds(10), default));
        Assert.Equal(records.Length, context.Counters.EmittedRecords);
        return Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Json_push_groups_records_into_streams_by_the_default_labels()
    {
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(204));
        var web = Record("GET /", time: "2026-11-25T08:00:00.123456789Z");
        var db = Record("checkpoint", time: "2026-11-25T09:00:00+01:00", pod: "db-0", ns: "data", app: null, appName: "postgres", stream: "stderr");
        var web2 = Record("GET /health", time: "2026-11-25T08:00:01Z");
        var request = await PushAsync(Spec("loki", ("url", server.BaseUrl)), server, web, db, web2);

        Assert.Equal("/loki/api/v1/push", request.Path);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        using var push = JsonDocument.Parse(request.Body);
        var streams = push.RootElement.GetProperty("streams").EnumerateArray().ToList();
        Assert.Equal(2, streams.Count);

        var first = streams[0];
        var labels = first.GetProperty("stream").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            ["app"] = "web", ["container"] = "web", ["namespace"] = "default", ["node"] = "node-1", ["pod"] = "web-7d9f-abcde", ["stream"] = "stdout",
        }, labels);
        var values = first.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal("1795593600123456789", values[0][0].GetString());
        Assert.Equal(web, values[0][1].GetString());
        Assert.Equal("1795593601000000000", values[1][0].GetString());
        Assert.Equal(web2, values[1][1].GetString());

        var second = streams[1];
        // No pod label "app": app comes from app.kubernetes.io/name.
        Assert.Equal("postgres", second.GetProperty("stream").GetProperty("app").GetString());
        Assert.Equal("stderr", second.GetProperty("stream").GetProperty("stream").GetString());
        Assert.Equal("1795593600000000000", second.GetProperty("values")[0][0].GetString());
    }

    [Fact]
    public async Task Kansoku_output_pushes_snappy_protobuf_to_the_server_push_path()
    {
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(204));
        var web = Record("GET /");
        var db = Record("checkpoint", pod: "db-0", ns: "data", app: "db", stream: "stderr");
        var request = await PushAsync(OutputFactory.FromUrl("kansoku:" + server.BaseUrl), server, web, db);

        Assert.Equal("/loki/api/v1/push", request.Path);
        Assert.Equal("application/x-protobuf", request.Headers["Content-Type"]);
        var push = PushRequest.Parser.ParseFrom(Snappier.Snappy.DecompressToArray(request.Body));
        Assert.Equal(2, push.Streams.Count);
        Assert.Equal(WebLabels, push.Streams[0].Labels);
        Assert.Equal("{app=\"db\", container=\"web\", namespace=\"data\", node=\"node-1\", pod=\"db-0\", stream=\"stderr\"}", push.Streams[1].Labels);
        var entry = Assert.Single(push.Streams[0].Entries);
        Assert.Equal(1795593600, entry.Timestamp.Seconds);
        Assert.Equal(123456789, entry.Timestamp.Nanos);
        Assert.Equal(web, entry.Line);
    }

    [Fact]
    public async Task Fluent_Bit_label_syntax_remove_keys_tenant_and_auth_are_applied()
    {
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(204));
        var spec = Spec("loki",
            ("host", "127.0.0.1"), ("port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("labels", "job=fluent-bit, $kubernetes['namespace_name'], mypod=$kubernetes['pod_name']"),
            ("label_keys", "$stream"),
            ("auto_kubernetes_labels", "on"),
            ("remove_keys", "kubernetes, stream"),
            ("tenant_id", "team-a"),
            ("http_user", "user"), ("http_passwd", "secret"),
            ("compress", "gzip"),
            ("format", "protobuf"));
        var request = await PushAsync(spec, server, Record("hello"));

        Assert.Equal("team-a", request.Headers["X-Scope-OrgID"]);
        Assert.Equal("Basic " + Convert.ToBase64String("user:secret"u8.ToArray()), request.Headers["Authorization"]);
        Assert.Equal("gzip", request.Headers["Content-Encoding"]);
        var push = PushRequest.Parser.ParseFrom(Snappier.Snappy.DecompressToArray(request.Body));
        var stream = Assert.Single(push.Streams);
        Assert.Equal("{app=\"web\", app_kubernetes_io_name=\"web\", job=\"fluent-bit\", mypod=\"web-7d9f-abcde\", namespace_name=\"default\", stream=\"stdout\"}",
            stream.Labels);
        Assert.Equal("{\"time\":\"2026-11-25T08:00:00.123456789Z\",\"log\":\"hello\"}", Assert.Single(stream.Entries).Line);
    }

    [Fact]
    public async Task Key_value_lines_and_records_without_kubernetes()
    {
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(204));
        var bare = "{\"time\":\"2026-11-25T08:00:00Z\",\"level\":\"info\",\"message\":\"say \\\"hi\\\"\",\"n\":3}";
        var request = await PushAsync(Spec("loki", ("url", server.BaseUrl + "/custom/push"), ("line_format", "key_value")), server, bare);

        Assert.Equal("/custom/push", request.Path);
        using var push = JsonDocument.Parse(request.Body);
        var stream = Assert.Single(push.RootElement.GetProperty("streams").EnumerateArray());
        // No kubernetes metadata and no stream field: none of the default labels resolve, so Loki gets a fallback.
        Assert.Equal("fluent-bit", stream.GetProperty("stream").GetProperty("job").GetString());
        Assert.Equal("time=2026-11-25T08:00:00Z level=info message=say \"hi\" n=3", stream.GetProperty("values")[0][1].GetString());
    }
}
