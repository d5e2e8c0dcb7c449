using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Kansoku.Testing;

namespace Kansoku.Server.Tests;

public sealed class BulkEndpointTests : IAsyncLifetime
{
    private readonly RecordingAppender _appender = new();
    private readonly TempDirectory _data = new();
    private KansokuServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = KansokuServer.Create(new KansokuServerOptions(_data.Path, "127.0.0.1:0", MaxRequestBytes: 1 << 20), _appender, new EmptyQuerier(), TimeProvider.System);
        await _server.StartAsync(CancellationToken.None);
        _client = new HttpClient { BaseAddress = _server.Address };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private const string FluentBitDocument =
        "{\"@timestamp\":\"2026-11-25T08:00:00.123Z\",\"time\":\"2026-11-25T08:00:00.123456789Z\",\"stream\":\"stdout\"," +
        "\"log\":\"GET /api 200\",\"level\":\"info\",\"kubernetes\":{\"pod_name\":\"web-1\",\"namespace_name\":\"shop\"," +
        "\"labels\":{\"app_kubernetes_io/name\":\"web\"},\"host\":\"node-1\",\"container_name\":\"web\"}}";

    private static StringContent Ndjson(string text) => new(text, Encoding.UTF8, "application/x-ndjson");

    [Fact]
    public async Task Stores_fluent_bit_documents_with_kubernetes_fields_as_stream_labels()
    {
        var body = "{\"create\":{\"_index\":\"monitoring-demo-2026.11.25\"}}\n" + FluentBitDocument + "\n" +
                   "{\"index\":{\"_index\":\"monitoring-demo-2026.11.25\",\"_id\":\"given\"}}\n" + FluentBitDocument + "\n";
        using var response = await _client.PostAsync("/_bulk", Ndjson(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("errors").GetBoolean());
        var items = json.RootElement.GetProperty("items");
        Assert.Equal(201, items[0].GetProperty("create").GetProperty("status").GetInt32());
        Assert.Equal("given", items[1].GetProperty("index").GetProperty("_id").GetString());

        var stream = Assert.Single(_appender.Streams);
        Assert.Equal("{app=\"web\", container=\"web\", index=\"monitoring-demo\", namespace=\"shop\", node=\"node-1\", pod=\"web-1\", stream=\"stdout\"}",
            stream.Labels.ToString());
        Assert.Equal(2, stream.Entries.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 8, 0, 0, 123, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000, stream.Entries[0].TimestampUnixNano);
        Assert.Equal(FluentBitDocument, Encoding.UTF8.GetString(stream.Entries[0].Line.Span));
    }

    [Fact]
    public async Task Refuses_bad_items_one_by_one_and_keeps_the_rest()
    {
        var body = "{\"index\":{}}\n{not json\n{\"delete\":{\"_index\":\"x\",\"_id\":\"1\"}}\n{\"index\":{}}\n{\"msg\":\"ok\"}\n";
        using var response = await _client.PostAsync("/logs/_bulk", Ndjson(body));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").GetBoolean());
        var items = json.RootElement.GetProperty("items");
        Assert.Equal(3, items.GetArrayLength());
        Assert.Equal("mapper_parsing_exception", items[0].GetProperty("index").GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(400, items[1].GetProperty("delete").GetProperty("status").GetInt32());
        Assert.Equal(201, items[2].GetProperty("index").GetProperty("status").GetInt32());
        Assert.Equal("{index=\"logs\"}", Assert.Single(_appender.Streams).Labels.ToString());
    }

    [Fact]
    public async Task Accepts_gzip_bodies_and_answers_the_version_probe()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("{\"index\":{\"_index\":\"a\"}}\n{\"msg\":\"zipped\"}\n"));
        }
        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        content.Headers.ContentType = new("application/x-ndjson");
        using var response = await _client.PostAsync("/_bulk", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_appender.Streams);

        using var info = JsonDocument.Parse(await _client.GetStringAsync("/"));
        Assert.StartsWith("8.", info.RootElement.GetProperty("version").GetProperty("number").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_large_is_413_and_overload_is_429_with_retry_after()
    {
        // With Expect: 100-continue the client waits for the server's answer before sending the body: the 413 then comes
        // back instead of a connection reset while the 2 MiB are still on their way (the server answers by Content-Length).
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/_bulk") { Content = Ndjson(new string('x', 2 << 20)) })
        {
            request.Headers.ExpectContinue = true;
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        _appender.Overloaded = TimeSpan.FromSeconds(3);
        using (var response = await _client.PostAsync("/_bulk", Ndjson("{\"index\":{}}\n{\"m\":1}\n")))
        {
            Assert.Equal((HttpStatusCode)429, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        }
    }

    [Fact]
    public async Task Documents_with_the_same_label_values_share_a_stream_however_they_are_written()
    {
        var body = new StringBuilder();
        foreach (var document in (string[])[
            "{\"stream\":\"stdout\",\"kubernetes\":{\"pod_name\":\"web-1\"}}",
            "{\"kubernetes\":{\"pod_name\":\"web\\u002d1\"},\"stream\":\"stdout\"}",
            "{\"stream\":\"stdout\",\"kubernetes\":{\"pod_name\":\"web-2\"}}",
            "{\"stream\":\"\",\"kubernetes\":{\"pod_name\":\"web-2\"}}",
            "{\"stream\":true,\"kubernetes\":{\"pod_name\":7}}"])
        {
            body.Append("{\"index\":{\"_index\":\"logs-2026.11.25\"}}\n").Append(document).Append('\n');
        }

        using var response = await _client.PostAsync("/_bulk", Ndjson(body.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var streams = _appender.Streams.Select(s => $"{s.Labels} {s.Entries.Count}").Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "{index=\"logs\", pod=\"7\", stream=\"true\"} 1",
                "{index=\"logs\", pod=\"web-1\", stream=\"stdout\"} 2",
                "{index=\"logs\", pod=\"web-2\", stream=\"stdout\"} 1",
                "{index=\"logs\", pod=\"web-2\"} 1",
            ], streams);
    }

    [Fact]
    public async Task A_label_value_that_is_not_utf8_refuses_its_document()
    {
        byte[] body = [.. "{\"index\":{}}\n{\"stream\":\""u8, 0xC3, 0x28, .. "\"}\n{\"index\":{}}\n{\"stream\":\"ok\"}\n"u8];
        using var content = new ByteArrayContent(body) { Headers = { ContentType = new("application/x-ndjson") } };

        using var response = await _client.PostAsync("/logs/_bulk", content);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = json.RootElement.GetProperty("items");
        var error = items[0].GetProperty("index").GetProperty("error");
        Assert.Equal("mapper_parsing_exception", error.GetProperty("type").GetString());
        Assert.Contains("not valid UTF-8", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(201, items[1].GetProperty("index").GetProperty("status").GetInt32());
        Assert.Equal("{index=\"logs\", stream=\"ok\"}", Assert.Single(_appender.Streams).Labels.ToString());
    }

    [Fact]
    public async Task Bodies_of_unknown_length_are_read_whole_and_decompressed_ones_stop_at_the_limit()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            body.Append("{\"index\":{}}\n{\"msg\":\"document ").Append(i).Append("\"}\n");
        }
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/logs/_bulk") { Content = Ndjson(body.ToString()) })
        {
            request.Headers.TransferEncodingChunked = true;
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var entries = Assert.Single(_appender.Streams).Entries;
        Assert.Equal(2000, entries.Count);
        Assert.Equal("{\"msg\":\"document 1999\"}", Encoding.UTF8.GetString(entries[^1].Line.Span));

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(new byte[2 << 20]);
        }
        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        using var tooLarge = await _client.PostAsync("/_bulk", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("(decompressed) exceeds the limit", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("monitoring-demo-2026.11.25", "monitoring-demo")]
    [InlineData("logs", "logs")]
    [InlineData("app-v2", "app-v2")]
    public void Index_prefix_drops_the_logstash_date(string index, string prefix) =>
        Assert.Equal(prefix, Ingest.BulkRequestParser.IndexPrefix(index));
}
