using System.Text.Json;
using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs;
using static Kansoku.Agent.Tests.Outputs.OutputTestKit;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Outputs;

public sealed class ElasticsearchOutputTests
{
    private const string AllCreated = "{\"took\":3,\"errors\":false,\"items\":[]}";

    private static List<JsonDocument> Lines(ReceivedRequest request) =>
        request.BodyText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();

    private static async Task<OutputContext> SendAsync(ComponentSpec spec, TempDirectory dir, params byte[][] batches)
    {
        var context = Context(dir.Path);
        await using var output = OutputFactory.Create(spec, context);
        await output.StartAsync(default);
        foreach (var batch in batches)
        {
            await output.AcceptAsync(batch, batch.Count(b => b == '\n'), default);
        }
        Assert.True(await output.DrainAsync(TimeSpan.FromSeconds(10), default));
        return context;
    }

    [Fact]
    public async Task Bulk_body_has_create_actions_logstash_indices_stable_ids_and_timestamps()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(200, AllCreated));
        var spec = Spec("elasticsearch", ("url", server.BaseUrl), ("Logstash_Format", "On"), ("Logstash_Prefix", "monitoring-demo"),
            ("Logstash_DateFormat", "%Y.%m.%d"), ("Generate_ID", "On"), ("Include_Tag_Key", "On"), ("Tag_Key", "@log_name"),
            ("Type", "_doc"), ("scheduler.base", "5ms"));
        var record = Record("GET /");
        var late = Record("late", time: "2026-11-25T23:30:00-02:00");
        var context = await SendAsync(spec, dir, Batch(record, late), Batch(record));

        Assert.Empty(spec.UnusedProperties());
        Assert.Equal(3, context.Counters.EmittedRecords);
        var requests = server.Requests.ToList();
        Assert.All(requests, r => Assert.Equal("/_bulk", r.Path));
        Assert.All(requests, r => Assert.StartsWith("application/x-ndjson", r.Headers["Content-Type"]));
        var lines = requests.SelectMany(Lines).ToList();
        Assert.Equal(6, lines.Count);

        var action = lines[0].RootElement.GetProperty("create");
        Assert.Equal("monitoring-demo-2026.11.25", action.GetProperty("_index").GetString());
        var id = action.GetProperty("_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.False(action.TryGetProperty("_type", out _));

        var document = lines[1].RootElement;
        Assert.Equal("2026-11-25T08:00:00.123Z", document.GetProperty("@timestamp").GetString());
        Assert.Equal("GET /", document.GetProperty("log").GetString());
        var labels = document.GetProperty("kubernetes").GetProperty("labels");
        Assert.Equal("web", labels.GetProperty("app").GetString());
        Assert.Equal("web", labels.GetProperty("app_kubernetes_io/name").GetString());
        Assert.False(labels.TryGetProperty("app.kubernetes.io/name", out _));

        // The record's UTC day decides the index: 23:30 at -02:00 is the next day in UTC.
        Assert.Equal("monitoring-demo-2026.11.26", lines[2].RootElement.GetProperty("create").GetProperty("_index").GetString());
        Assert.Equal("2026-11-26T01:30:00.000Z", lines[3].RootElement.GetProperty("@timestamp").GetString());
        Assert.NotEqual(id, lines[2].RootElement.GetProperty("create").GetProperty("_id").GetString());

        // The same record sent again gets the same id, so a re-send cannot duplicate it.
        Assert.Equal(id, lines[4].RootElement.GetProperty("create").GetProperty("_id").GetString());
    }

    [Fact]
    public async Task Plain_index_custom_time_key_format_and_replace_dots_off()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(200, AllCreated));
        var spec = Spec("es", ("host", "127.0.0.1"), ("port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("path", "/proxy"), ("index", "k8s-logs"), ("time_key", "ts"), ("time_key_format", "%Y-%m-%dT%H:%M:%S.%L%z"),
            ("replace_dots", "off"), ("write_operation", "index"));
        await SendAsync(spec, dir, Batch(Record("x")));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/proxy/_bulk", request.Path);
        var lines = Lines(request);
        var action = lines[0].RootElement.GetProperty("index");
        Assert.Equal("k8s-logs", action.GetProperty("_index").GetString());
        Assert.False(action.TryGetProperty("_id", out _));
        Assert.Equal("2026-11-25T08:00:00.123+0000", lines[1].RootElement.GetProperty("ts").GetString());
        Assert.True(lines[1].RootElement.GetProperty("kubernetes").GetProperty("labels").TryGetProperty("app.kubernetes.io/name", out _));
    }

    [Fact]
    public async Task Per_item_errors_retry_429_items_alone_and_drop_400_items()
    {
        using var dir = new TempDirectory();
        var log = new StringWriter();
        const string Mixed = """
            {"took":5,"errors":true,"items":[
              {"create":{"_index":"fluent-bit","status":201}},
              {"create":{"_index":"fluent-bit","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}},
              {"create":{"_index":"fluent-bit","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [level]"}}}
            ]}
            """;
        await using var server = new FakeHttpServer((_, index) => index == 0
            ? new FakeResponse(200, Mixed)
            : new FakeResponse(200, "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}}]}"));
        var context = Context(dir.Path, log: log);
        await using (var output = OutputFactory.Create(Spec("es", ("url", server.BaseUrl), ("scheduler.base", "5ms")), context))
        {
            await output.StartAsync(default);
            await output.AcceptAsync(Batch(Record("ok"), Record("busy"), Record("bad")), 3, default);
            Assert.True(await output.DrainAsync(TimeSpan.FromSeconds(10), default));
        }

        var requests = server.Requests.ToList();
        Assert.Equal(2, requests.Count);
        var retried = Lines(requests[1]);
        Assert.Equal(2, retried.Count);
        Assert.Equal("busy", retried[1].RootElement.GetProperty("log").GetString());
        Assert.Equal(2, context.Counters.EmittedRecords);
        Assert.Equal(1, context.Counters.DroppedRecords);
        Assert.Equal(1, context.Counters.Retries);
        Assert.Contains("mapper_parsing_exception: failed to parse field [level]", log.ToString());
    }

    [Fact]
    public async Task Conflict_on_create_with_generate_id_counts_as_delivered()
    {
        using var dir = new TempDirectory();
        const string Conflicts = """
            {"errors":true,"items":[
              {"create":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"document already exists"}}},
              {"create":{"status":201}}
            ]}
            """;
        await using var server = new FakeHttpServer((_, _) => new FakeResponse(200, Conflicts));
        var context = await SendAsync(Spec("opensearch", ("url", server.BaseUrl), ("generate_id", "on")), dir, Batch(Record("a"), Record("b")));

        Assert.Single(server.Requests);
        Assert.Equal(2, context.Counters.EmittedRecords);
        Assert.Equal(0, context.Counters.DroppedRecords);
    }

    [Fact]
    public async Task Conflict_without_generate_id_is_a_dropped_item()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeHttpServer((_, _) =>
            new FakeResponse(200, "{\"errors\":true,\"items\":[{\"create\":{\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\"}}}]}"));
        var context = await SendAsync(Spec("es", ("url", server.BaseUrl)), dir, Batch(Record("a")));
        Assert.Equal(0, context.Counters.EmittedRecords);
        Assert.Equal(1, context.Counters.DroppedRecords);
    }
}
