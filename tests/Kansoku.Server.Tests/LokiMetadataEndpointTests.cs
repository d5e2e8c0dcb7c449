using System.Net;
using System.Text;
using System.Text.Json;
using Kansoku.LogStore;
using Kansoku.Testing;

namespace Kansoku.Server.Tests;

/// <summary>The label and index API over a real store, filled through the push API.</summary>
public sealed class LokiMetadataEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private LogStorage _store = null!;
    private KansokuServer _server = null!;
    private HttpClient _client = null!;
    private readonly long _now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public async Task InitializeAsync()
    {
        _store = LogStorage.Open(_data.Combine("logs"), new LogStorageOptions());
        _server = KansokuServer.Create(new KansokuServerOptions(_data.Path, "127.0.0.1:0"), _store, _store, TimeProvider.System);
        await _server.StartAsync(CancellationToken.None);
        _client = new HttpClient { BaseAddress = _server.Address };
        var push = $$"""
            {"streams":[
              {"stream":{"namespace":"shop","app":"web","stream":"stdout"},"values":[["{{_now - 2_000_000_000}}","GET /a 200"],["{{_now - 1_000_000_000}}","GET /b 500"]]},
              {"stream":{"namespace":"shop","app":"db","stream":"stderr"},"values":[["{{_now - 1_500_000_000}}","checkpoint"]]},
              {"stream":{"namespace":"kube-system","app":"dns"},"values":[["{{_now - 500_000_000}}","query"]]}
            ]}
            """;
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

    private async Task<JsonElement> Get(string path)
    {
        using var response = await _client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string[] Strings(JsonElement data) => data.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Labels_and_values_in_lokis_shape()
    {
        var labels = await Get("/loki/api/v1/labels");
        Assert.Equal("success", labels.GetProperty("status").GetString());
        Assert.Equal(["app", "namespace", "stream"], Strings(labels.GetProperty("data")));

        var apps = await Get("/loki/api/v1/label/app/values");
        Assert.Equal(["db", "dns", "web"], Strings(apps.GetProperty("data")));

        var shopApps = await Get("/loki/api/v1/label/app/values?query=" + Uri.EscapeDataString("{namespace=\"shop\"}"));
        Assert.Equal(["db", "web"], Strings(shopApps.GetProperty("data")));
    }

    [Fact]
    public async Task Series_and_index_stats_follow_the_selector()
    {
        var series = await Get("/loki/api/v1/series?match[]=" + Uri.EscapeDataString("{app=~\"web|db\"}"));
        var sets = series.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("app").GetString()!).Order().ToArray();
        Assert.Equal(["db", "web"], sets);

        var stats = await Get("/loki/api/v1/index/stats?query=" + Uri.EscapeDataString("{namespace=\"shop\"}"));
        Assert.Equal(2, stats.GetProperty("streams").GetInt64());
        Assert.Equal(3, stats.GetProperty("entries").GetInt64());
        Assert.Equal("GET /a 200GET /b 500checkpoint".Length, stats.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task Errors_are_400_with_the_position_in_the_query()
    {
        using var response = await _client.GetAsync("/loki/api/v1/series?match[]=" + Uri.EscapeDataString("{app=\"web\""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("parse error at line 1, col", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var missing = await _client.GetAsync("/loki/api/v1/index/stats");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var build = await Get("/loki/api/v1/status/buildinfo");
        Assert.False(string.IsNullOrEmpty(build.GetProperty("version").GetString()));
    }
}
