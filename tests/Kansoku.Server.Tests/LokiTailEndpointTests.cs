using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Kansoku.LogStore;
using Kansoku.Testing;

namespace Kansoku.Server.Tests;

/// <summary>Live tail over Loki's WebSocket: history first, then entries pushed while connected, each once.</summary>
public sealed class LokiTailEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private LogStorage _store = null!;
    private KansokuServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _store = LogStorage.Open(_data.Combine("logs"), new LogStorageOptions());
        _server = KansokuServer.Create(new KansokuServerOptions(_data.Path, "127.0.0.1:0"), _store, _store, TimeProvider.System);
        await _server.StartAsync(CancellationToken.None);
        _client = new HttpClient { BaseAddress = _server.Address };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _store.Dispose();
        _data.Dispose();
    }

    private async Task Push(string app, string line)
    {
        var now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        var body = $"{{\"streams\":[{{\"stream\":{{\"app\":\"{app}\"}},\"values\":[[\"{now}\",\"{line}\"]]}}]}}";
        using var response = await _client.PostAsync("/loki/api/v1/push", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static async Task<List<string>> ReceiveLines(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, cancellationToken);
        using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        var lines = new List<string>();
        foreach (var stream in message.RootElement.GetProperty("streams").EnumerateArray())
        {
            Assert.Equal("web", stream.GetProperty("stream").GetProperty("app").GetString());
            foreach (var value in stream.GetProperty("values").EnumerateArray())
            {
                lines.Add(value[1].GetString()!);
            }
        }
        return lines;
    }

    [Fact]
    public async Task Sends_history_then_new_entries_once()
    {
        await Push("web", "before");
        await Push("db", "other app");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var socket = new ClientWebSocket();
        var query = Uri.EscapeDataString("{app=\"web\"}");
        await socket.ConnectAsync(new Uri($"ws://{_server.Address.Authority}/loki/api/v1/tail?query={query}"), timeout.Token);
        Assert.Equal(["before"], await ReceiveLines(socket, timeout.Token));

        await Push("web", "after 1");
        await Push("web", "after 2");
        var received = new List<string>();
        while (received.Count < 2)
        {
            received.AddRange(await ReceiveLines(socket, timeout.Token));
        }
        Assert.Equal(["after 1", "after 2"], received);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }

    [Fact]
    public async Task Plain_http_and_metric_queries_are_refused()
    {
        using var plain = await _client.GetAsync("/loki/api/v1/tail?query=" + Uri.EscapeDataString("{app=\"web\"}"));
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
    }
}
