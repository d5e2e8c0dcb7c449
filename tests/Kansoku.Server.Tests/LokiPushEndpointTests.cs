using System.Net;
using System.Text;
using Kansoku.Agent.Outputs;
using Kansoku.Agent.Pipeline;
using Kansoku.Testing;

namespace Kansoku.Server.Tests;

/// <summary>The push API against the real client that matters most: Kansoku's own agent, in both of Loki's wire formats.</summary>
public sealed class LokiPushEndpointTests : IAsyncLifetime
{
    private readonly RecordingAppender _appender = new();
    private readonly TempDirectory _data = new();
    private KansokuServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = KansokuServer.Create(new KansokuServerOptions(_data.Path, "127.0.0.1:0"), _appender, new EmptyQuerier(), TimeProvider.System);
        await _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private const string Record =
        "{\"time\":\"2026-11-25T08:00:00.000000001Z\",\"stream\":\"stderr\",\"log\":\"boom\",\"kubernetes\":{\"pod_name\":\"web-1\"," +
        "\"namespace_name\":\"shop\",\"container_name\":\"web\",\"host\":\"node-1\",\"labels\":{\"app\":\"web\"}}}\n";

    [Theory]
    [InlineData("kansoku")]
    [InlineData("loki")]
    public async Task The_agents_output_is_stored_with_kansokus_stream_labels(string type)
    {
        using var state = new TempDirectory();
        var spec = OutputFactory.FromUrl($"{type}:{_server.Address}");
        var counters = new ComponentCounters("output", type);
        await using (var output = OutputFactory.Create(spec, new OutputContext(type, state.Path, counters, AgentLog.Null, TimeProvider.System)))
        {
            await output.StartAsync(CancellationToken.None);
            var batch = Encoding.UTF8.GetBytes(Record + Record);
            await output.AcceptAsync(batch, 2, CancellationToken.None);
            Assert.True(await output.DrainAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        }
        Assert.Equal(2, counters.EmittedRecords);
        var stream = Assert.Single(_appender.Streams);
        Assert.Equal("{app=\"web\", container=\"web\", namespace=\"shop\", node=\"node-1\", pod=\"web-1\", stream=\"stderr\"}", stream.Labels.ToString());
        Assert.Equal(2, stream.Entries.Count);
        Assert.Equal(1_795_593_600_000_000_001, stream.Entries[0].TimestampUnixNano);
    }

    [Fact]
    public async Task Json_push_in_lokis_shape_and_clear_errors()
    {
        using var client = new HttpClient { BaseAddress = _server.Address };
        var json = "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[\"1764057600000000000\",\"hello\"]]}]}";
        using (var response = await client.PostAsync("/loki/api/v1/push", new StringContent(json, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        Assert.Equal("hello", Encoding.UTF8.GetString(Assert.Single(_appender.Streams).Entries[0].Line.Span));

        using (var response = await client.PostAsync("/loki/api/v1/push", new StringContent("{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[1,\"a\"]]}]}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("unix epoch in ns", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var response = await client.PostAsync("/loki/api/v1/push", new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/x-protobuf") } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }
}
