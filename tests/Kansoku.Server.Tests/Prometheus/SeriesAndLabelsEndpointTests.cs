using System.Net;
using System.Text.Json;
using Kansoku.Core.Labels;
using Kansoku.Server.Prometheus;

namespace Kansoku.Server.Tests.Prometheus;

/// <summary>/api/v1/series, /labels and /label/{name}/values.</summary>
public sealed class SeriesAndLabelsEndpointTests : IAsyncLifetime
{
    private const long T = 1_700_000_000_000;

    private readonly InMemorySamples _samples = new();
    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _samples
            .Add(LabelSet.From(("__name__", "up"), ("job", "api"), ("instance", "a")), (T - 60_000, 1))
            .Add(LabelSet.From(("__name__", "up"), ("job", "db"), ("instance", "b")), (T - 3_600_000, 1))
            .Add(LabelSet.From(("__name__", "node_load1"), ("instance", "a"), ("zone", "eu")), (T - 10_000, 0.5));
        _host = await ApiHost.StartAsync(new PrometheusApiOptions { Samples = _samples });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Series_unions_every_match_sorted_by_labels()
    {
        var (status, body) = await _host.GetAsync("/api/v1/series?match[]=up&match[]=" + Uri.EscapeDataString("{instance=\"a\"}"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"status":"success","data":[{"__name__":"node_load1","instance":"a","zone":"eu"},{"__name__":"up","instance":"a","job":"api"},{"__name__":"up","instance":"b","job":"db"}]}""",
            body);
        // Without start and end the whole of time is searched, with Prometheus' bounds.
        Assert.Contains(_samples.Queriers, q => q == (ApiTime.MinTimeMs, ApiTime.MaxTimeMs));
    }

    [Fact]
    public async Task Series_honours_start_and_end_and_post_forms()
    {
        using var response = await _host.Client.PostAsync("/api/v1/series", new FormUrlEncodedContent(
        [
            new("match[]", "up"),
            new("start", "1699999000"),
            new("end", "1700000000"),
        ]));
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        Assert.Equal(["api"], data.EnumerateArray().Select(s => s.GetProperty("job").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/series", "no match[] parameter provided")]
    [InlineData("/api/v1/series?match[]=%7Bjob%3D~%22.*%22%7D", "invalid parameter \"match[]\": 1:1: parse error: vector selector must contain at least one non-empty matcher")]
    [InlineData("/api/v1/series?match[]=up%5B5m%5D", "invalid parameter \"match[]\": 1:1: parse error: expected a vector selector, not a range selector")]
    [InlineData("/api/v1/series?match[]=up&start=x", "invalid parameter \"start\": cannot parse \"x\" to a valid timestamp")]
    [InlineData("/api/v1/labels?match[]=%7B", "1:2: parse error: unexpected end of input inside braces")]
    [InlineData("/api/v1/label/1bad/values", "invalid label name: \"1bad\"")]
    [InlineData("/api/v1/label/job/values?end=never", "invalid parameter \"end\": cannot parse \"never\" to a valid timestamp")]
    public async Task Bad_input_is_400_bad_data(string path, string expected)
    {
        var (type, error) = await _host.ErrorAsync(path, HttpStatusCode.BadRequest);
        Assert.Equal(("bad_data", expected), (type, error));
    }

    [Fact]
    public async Task Label_names_all_or_of_matching_series()
    {
        Assert.Equal(["__name__", "instance", "job", "zone"], Strings(await _host.DataAsync("/api/v1/labels")));
        Assert.Equal(["__name__", "instance", "job"], Strings(await _host.DataAsync("/api/v1/labels?match[]=up")));
        Assert.Equal(["__name__", "instance", "job", "zone"],
            Strings(await _host.DataAsync("/api/v1/labels?match[]=up&match[]=node_load1")));
        Assert.Empty(Strings(await _host.DataAsync("/api/v1/labels?match[]=missing")));
    }

    [Fact]
    public async Task Label_values_all_or_of_matching_series()
    {
        Assert.Equal(["node_load1", "up"], Strings(await _host.DataAsync("/api/v1/label/__name__/values")));
        Assert.Equal(["a", "b"], Strings(await _host.DataAsync("/api/v1/label/instance/values?match[]=up")));
        Assert.Equal(["a"], Strings(await _host.DataAsync("/api/v1/label/instance/values?match[]=up&start=1699999000")));
        Assert.Equal(["eu"], Strings(await _host.DataAsync("/api/v1/label/zone/values?match[]=node_load1&match[]=up")));
        Assert.Empty(Strings(await _host.DataAsync("/api/v1/label/nothing/values")));
    }

    private static string[] Strings(JsonElement data) => [.. data.EnumerateArray().Select(e => e.GetString()!)];
}
