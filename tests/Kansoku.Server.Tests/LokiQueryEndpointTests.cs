using System.Net;
using System.Text;
using System.Text.Json;
using Kansoku.LogStore;
using Kansoku.Testing;

namespace Kansoku.Server.Tests;

/// <summary>LogQL through query and query_range over a real store, with the agent's record shape as lines.</summary>
public sealed class LokiQueryEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private LogStorage _store = null!;
    private KansokuServer _server = null!;
    private HttpClient _client = null!;
    // A whole minute, so one range aggregation window holds every line.
    private readonly long _base = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 600_000_000 * 60_000_000_000 - 120_000_000_000;

    public async Task InitializeAsync()
    {
        _store = LogStorage.Open(_data.Combine("logs"), new LogStorageOptions());
        _server = KansokuServer.Create(new KansokuServerOptions(_data.Path, "127.0.0.1:0"), _store, _store, TimeProvider.System);
        await _server.StartAsync(CancellationToken.None);
        _client = new HttpClient { BaseAddress = _server.Address };
        var values = new StringBuilder();
        string[] levels = ["info", "info", "error", "warn", "info", "error"];
        for (var i = 0; i < levels.Length; i++)
        {
            var line = JsonSerializer.Serialize($"{{\"level\":\"{levels[i]}\",\"msg\":\"request {i}\",\"status\":{(levels[i] == "error" ? 500 : 200)}}}");
            values.Append(i == 0 ? "" : ",").Append($"[\"{_base + (i * 1_000_000_000L)}\",{line}]");
        }
        var push = $"{{\"streams\":[{{\"stream\":{{\"namespace\":\"x\",\"app\":\"web\"}},\"values\":[{values}]}}," +
                   $"{{\"stream\":{{\"namespace\":\"y\",\"app\":\"db\"}},\"values\":[[\"{_base}\",\"{{\\\"level\\\":\\\"info\\\"}}\"]]}}]}}";
        using var response = await _client.PostAsync("/loki/api/v1/push", new StringContent(push, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _store.Dispose();
        _data.Dispose();
    }

    private async Task<JsonElement> Query(string path, string query, string extra = "")
    {
        using var response = await _client.GetAsync($"{path}?query={Uri.EscapeDataString(query)}{extra}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var root = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal("success", root.GetProperty("status").GetString());
        return root.GetProperty("data");
    }

    private string Range => $"&start={_base - 1_000_000_000}&end={_base + 60_000_000_000}";

    [Fact]
    public async Task Log_query_returns_streams_newest_first_cut_at_the_limit()
    {
        var data = await Query("/loki/api/v1/query_range", "{namespace=\"x\"} |= \"error\"", Range + "&limit=1");
        Assert.Equal("streams", data.GetProperty("resultType").GetString());
        var stream = Assert.Single(data.GetProperty("result").EnumerateArray());
        Assert.Equal("web", stream.GetProperty("stream").GetProperty("app").GetString());
        var value = Assert.Single(stream.GetProperty("values").EnumerateArray());
        Assert.Equal((_base + 5_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture), value[0].GetString());
        Assert.Contains("request 5", value[1].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_issue_metric_query_counts_per_level()
    {
        var data = await Query("/loki/api/v1/query", "sum by (level) (count_over_time({namespace=\"x\"} | json [1m]))",
            $"&time={_base + 59_000_000_000}");
        Assert.Equal("vector", data.GetProperty("resultType").GetString());
        var counts = data.GetProperty("result").EnumerateArray().ToDictionary(
            r => r.GetProperty("metric").GetProperty("level").GetString()!, r => r.GetProperty("value")[1].GetString());
        Assert.Equal("3", counts["info"]);
        Assert.Equal("2", counts["error"]);
        Assert.Equal("1", counts["warn"]);
    }

    [Fact]
    public async Task Range_metric_query_is_a_matrix_with_lokis_points()
    {
        var data = await Query("/loki/api/v1/query_range", "sum(count_over_time({app=\"web\"} |= \"error\" [1m]))",
            $"&start={_base + 59_000_000_000}&end={_base + 59_000_000_000}&step=60");
        Assert.Equal("matrix", data.GetProperty("resultType").GetString());
        var point = Assert.Single(Assert.Single(data.GetProperty("result").EnumerateArray()).GetProperty("values").EnumerateArray());
        Assert.Equal("2", point[1].GetString());
        Assert.Equal((_base + 59_000_000_000) / 1e9, point[0].GetDouble(), 3);
    }

    [Fact]
    public async Task A_bad_query_is_400_with_its_position()
    {
        using var response = await _client.GetAsync("/loki/api/v1/query_range?query=" + Uri.EscapeDataString("{app=\"web\"} |= "));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("parse error at line 1, col", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
