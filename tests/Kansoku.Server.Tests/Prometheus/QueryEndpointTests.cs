using System.Net;
using System.Text.Json;
using Kansoku.Core.Labels;
using Kansoku.Server.Prometheus;
using Kansoku.Storage.Metrics;

namespace Kansoku.Server.Tests.Prometheus;

/// <summary>/api/v1/query and /query_range on the PromQL engine: shapes, lookback, staleness, time parsing, annotations and errors.</summary>
public sealed class QueryEndpointTests : IAsyncLifetime
{
    // 2023-11-14T22:13:20Z
    private const long T = 1_700_000_000_000;
    private const long Minute = 60_000;

    private readonly InMemorySamples _samples = new();
    private bool _ready = true;
    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _samples
            .Add(LabelSet.From(("__name__", "up"), ("job", "api"), ("instance", "a:9100")), (T - 60_000, 1), (T - 30_000, 0))
            .Add(LabelSet.From(("__name__", "up"), ("job", "db"), ("instance", "b:9100")), (T - 6 * Minute, 1))
            .Add(LabelSet.From(("__name__", "http_requests_total"), ("code", "200"), ("path", "/a")), (T - 29_500, 10), (T - 15_000, 12))
            .Add(LabelSet.From(("__name__", "http_requests_total"), ("code", "500"), ("path", "/b")), (T - 10_000, 3))
            .Add(LabelSet.From(("__name__", "gone")), (T - 20_000, 7), (T - 10_000, StaleMarker.Value))
            .Add(LabelSet.From(("__name__", "edge"), ("at", "boundary")), (T - 5 * Minute, 1))
            .Add(LabelSet.From(("__name__", "edge"), ("at", "inside")), (T - 5 * Minute + 1, 2))
            .Add(LabelSet.From(("__name__", "odd"), ("v", "nan")), (T - 1000, double.NaN))
            .Add(LabelSet.From(("__name__", "odd"), ("v", "pinf")), (T - 1000, double.PositiveInfinity))
            .Add(LabelSet.From(("__name__", "odd"), ("v", "ninf")), (T - 1000, double.NegativeInfinity))
            .Add(LabelSet.From(("__name__", "odd"), ("v", "tiny")), (T - 1000, 1e-7))
            .Add(LabelSet.From(("__name__", "odd"), ("v", "big")), (T - 1000, 1234567))
            .Add(LabelSet.From(("__name__", "odd"), ("v", "tenth")), (T - 1000, 0.1))
            .Add(LabelSet.From(("__name__", "flappy")), (T - 60_000, 1), (T - 45_000, StaleMarker.Value), (T - 15_000, 2));
        _host = await ApiHost.StartAsync(new PrometheusApiOptions
        {
            Samples = _samples,
            Time = new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(T)),
            IsReady = () => _ready,
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Instant_vector_has_prometheus_exact_shape()
    {
        var (status, body) = await _host.GetAsync("/api/v1/query?query=up&time=1700000000");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:9100","job":"api"},"value":[1700000000,"0"]}]}}""",
            body);
    }

    [Fact]
    public async Task PromQL_expressions_answer_in_prometheus_shapes_with_their_annotations()
    {
        var (_, sum) = await _host.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString("sum by (code) (http_requests_total)") + "&time=1700000000");
        Assert.Equal(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"code":"200"},"value":[1700000000,"12"]},{"metric":{"code":"500"},"value":[1700000000,"3"]}]}}""",
            sum);
        var (_, scalar) = await _host.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString("2 * 21") + "&time=1700000000");
        Assert.Equal("""{"status":"success","data":{"resultType":"scalar","result":[1700000000,"42"]}}""", scalar);
        var (_, text) = await _host.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString("\"kansoku\"") + "&time=1700000000");
        Assert.Equal("""{"status":"success","data":{"resultType":"string","result":[1700000000,"kansoku"]}}""", text);
        // Prometheus adds an info when rate() reads a series whose name says it is not a counter.
        var (_, rate) = await _host.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString("rate(up[5m])") + "&time=1700000000");
        var root = JsonDocument.Parse(rate).RootElement;
        Assert.Equal("vector", root.GetProperty("data").GetProperty("resultType").GetString());
        Assert.Contains("metric might not be a counter", root.GetProperty("infos")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_time_is_now_and_rfc3339_and_fractional_seconds_are_read()
    {
        foreach (var time in new[] { "", "&time=2023-11-14T22:13:20Z", "&time=2023-11-14T23:13:20%2B01:00", "&time=1700000000.0004" })
        {
            var data = await _host.DataAsync("/api/v1/query?query=up" + time);
            var value = data.GetProperty("result")[0].GetProperty("value");
            Assert.Equal(1700000000, value[0].GetDouble());
            Assert.Equal("0", value[1].GetString());
        }
        var fractional = await _host.DataAsync("/api/v1/query?query=up&time=1700000000.1236");
        Assert.Equal("1700000000.124", fractional.GetProperty("result")[0].GetProperty("value")[0].GetRawText());
    }

    [Fact]
    public async Task Lookback_window_is_five_minutes_closed_at_the_start_as_in_Prometheus_2()
    {
        var data = await _host.DataAsync("/api/v1/query?query=edge&time=1700000000");
        Assert.Equal(["boundary", "inside"], Series(data).Select(m => m.GetProperty("at").GetString()));
        var shorter = await _host.DataAsync("/api/v1/query?query=up&time=1700000000&lookback_delta=20s");
        Assert.Empty(shorter.GetProperty("result").EnumerateArray());
    }

    [Fact]
    public async Task A_staleness_marker_ends_the_series_at_once()
    {
        var stale = await _host.DataAsync("/api/v1/query?query=gone&time=1700000000");
        Assert.Empty(stale.GetProperty("result").EnumerateArray());
        var before = await _host.DataAsync("/api/v1/query?query=gone&time=1699999985");
        Assert.Equal("7", before.GetProperty("result")[0].GetProperty("value")[1].GetString());
    }

    [Fact]
    public async Task Matchers_select_by_equality_and_anchored_regex()
    {
        Assert.Equal(["/a"], Paths(await _host.DataAsync(Query("""http_requests_total{code="200"}"""))));
        Assert.Equal(["/b"], Paths(await _host.DataAsync(Query("""{__name__="http_requests_total",code!="200"}"""))));
        Assert.Equal(["/a", "/b"], Paths(await _host.DataAsync(Query("""http_requests_total{path=~"/.*"}"""))));
        Assert.Empty(Paths(await _host.DataAsync(Query("""http_requests_total{path=~"a"}"""))));
        Assert.Equal(["/a"], Paths(await _host.DataAsync(Query("""http_requests_total{code!~"5.."}"""))));

        static string Query(string selector) => "/api/v1/query?time=1700000000&query=" + Uri.EscapeDataString(selector);
        static string[] Paths(JsonElement data) => [.. Series(data).Select(m => m.GetProperty("path").GetString()!)];
    }

    [Fact]
    public async Task Values_use_prometheus_float_formatting()
    {
        var data = await _host.DataAsync("/api/v1/query?query=odd&time=1700000000");
        var byName = data.GetProperty("result").EnumerateArray().ToDictionary(
            r => r.GetProperty("metric").GetProperty("v").GetString()!,
            r => r.GetProperty("value")[1].GetString());
        Assert.Equal("NaN", byName["nan"]);
        Assert.Equal("+Inf", byName["pinf"]);
        Assert.Equal("-Inf", byName["ninf"]);
        Assert.Equal("1e-07", byName["tiny"]);
        Assert.Equal("1234567", byName["big"]);
        Assert.Equal("0.1", byName["tenth"]);
    }

    [Fact]
    public async Task Range_selector_returns_a_matrix_of_raw_samples()
    {
        var (status, body) = await _host.GetAsync("/api/v1/query?time=1700000000&query=" + Uri.EscapeDataString("""http_requests_total{code="200"}[1m]"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"http_requests_total","code":"200","path":"/a"},"values":[[1699999970.500,"10"],[1699999985,"12"]]}]}}""",
            body);
        var markersDropped = await _host.DataAsync("/api/v1/query?time=1700000000&query=" + Uri.EscapeDataString("flappy[5m]"));
        Assert.Equal(["1", "2"], markersDropped.GetProperty("result")[0].GetProperty("values").EnumerateArray().Select(v => v[1].GetString()));
    }

    [Fact]
    public async Task Range_query_steps_through_lookback_and_staleness()
    {
        var data = await _host.DataAsync("/api/v1/query_range?query=flappy&start=1699999940&end=1700000000&step=15");
        Assert.Equal("matrix", data.GetProperty("resultType").GetString());
        // 1 at -60s, a marker at -45s (so nothing at -45s and -30s), 2 from -15s on.
        Assert.Equal([("1699999940", "1"), ("1699999985", "2"), ("1700000000", "2")], Values(data.GetProperty("result")[0]));
    }

    [Fact]
    public async Task Range_query_reads_durations_rfc3339_and_post_forms()
    {
        var get = await _host.DataAsync("/api/v1/query_range?query=up&start=2023-11-14T22:08:20Z&end=2023-11-14T22:13:20Z&step=1m");
        using var posted = await _host.Client.PostAsync("/api/v1/query_range", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["query"] = "up",
            ["start"] = "1699999700",
            ["end"] = "1700000000",
            ["step"] = "60",
        }));
        var post = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        Assert.Equal(get.GetRawText(), post.GetRawText());
        var result = get.GetProperty("result").EnumerateArray().ToArray();
        Assert.Equal(["api", "db"], result.Select(r => r.GetProperty("metric").GetProperty("job").GetString()));
        Assert.Equal([("1699999940", "1"), ("1700000000", "0")], Values(result[0]));
        // The db target's one sample at -6m is seen until it falls out of the 5m lookback, at -1m still (exactly 5m old).
        Assert.Equal([("1699999700", "1"), ("1699999760", "1"), ("1699999820", "1"), ("1699999880", "1"), ("1699999940", "1")], Values(result[1]));
        Assert.Contains(_samples.Queriers, q => q == (1699999700_000 - 5 * Minute, 1700000000_000));
    }

    private static (string, string)[] Values(JsonElement series) =>
        [.. series.GetProperty("values").EnumerateArray().Select(v => (v[0].GetRawText(), v[1].GetString()!))];

    [Fact]
    public async Task Instant_query_by_post_form()
    {
        using var response = await _host.Client.PostAsync("/api/v1/query", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["query"] = "up{job=\"api\"}",
            ["time"] = "1700000000",
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        Assert.Equal("a:9100", data.GetProperty("result")[0].GetProperty("metric").GetProperty("instance").GetString());
    }

    [Theory]
    [InlineData("/api/v1/query?query=rate(up)", "invalid parameter \"query\": 1:6: parse error: expected type range vector in call to function \"rate\", got instant vector")]
    [InlineData("/api/v1/query?query=up%2B", "invalid parameter \"query\": 1:4: parse error: unexpected end of input")]
    [InlineData("/api/v1/query", "invalid parameter \"query\": 1:1: parse error: no expression found in input")]
    [InlineData("/api/v1/query?query=%7Bjob%3D~%22.*%22%7D", "invalid parameter \"query\": 1:1: parse error: vector selector must contain at least one non-empty matcher")]
    [InlineData("/api/v1/query?query=up%7Bjob%3D%22x%22", "invalid parameter \"query\": 1:11: parse error: unexpected end of input inside braces")]
    [InlineData("/api/v1/query?query=up&time=yesterday", "invalid parameter \"time\": cannot parse \"yesterday\" to a valid timestamp")]
    [InlineData("/api/v1/query?query=up&timeout=soon", "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration")]
    [InlineData("/api/v1/query_range?query=up&end=1&step=1", "invalid parameter \"start\": cannot parse \"\" to a valid timestamp")]
    [InlineData("/api/v1/query_range?query=up&start=10&end=1&step=1", "invalid parameter \"end\": end timestamp must not be before start time")]
    [InlineData("/api/v1/query_range?query=up&start=1&end=10&step=0", "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")]
    [InlineData("/api/v1/query_range?query=up&start=1&end=10&step=1x", "invalid parameter \"step\": cannot parse \"1x\" to a valid duration")]
    [InlineData("/api/v1/query_range?query=up&start=0&end=86400&step=1", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")]
    [InlineData("/api/v1/query_range?query=up%5B5m%5D&start=0&end=60&step=15", "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector")]
    public async Task Bad_input_is_400_bad_data_with_prometheus_wording(string path, string expected)
    {
        var (type, error) = await _host.ErrorAsync(path, HttpStatusCode.BadRequest);
        Assert.Equal("bad_data", type);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_past_its_timeout_is_503_timeout()
    {
        var (type, error) = await _host.ErrorAsync("/api/v1/query?query=up&timeout=0s", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(("timeout", "query timed out in expression evaluation"), (type, error));
        _samples.IteratorDelay = TimeSpan.FromMilliseconds(100);
        var slow = await _host.ErrorAsync("/api/v1/query_range?query=odd&start=1699999000&end=1700000000&step=10&timeout=150ms",
            HttpStatusCode.ServiceUnavailable);
        Assert.Equal("timeout", slow.ErrorType);
    }

    [Fact]
    public async Task A_failing_store_is_422_execution()
    {
        _samples.Failure = new IOException("read /data/chunks/000001: input/output error");
        var (type, error) = await _host.ErrorAsync("/api/v1/query?query=up", HttpStatusCode.UnprocessableEntity);
        Assert.Equal(("execution", "read /data/chunks/000001: input/output error"), (type, error));
    }

    [Fact]
    public async Task Not_ready_answers_503_until_ready()
    {
        _ready = false;
        var (status, body) = await _host.GetAsync("/api/v1/query?query=up");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Service Unavailable"), (status, body));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _host.GetAsync("/-/ready")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _host.GetAsync("/-/healthy")).Status);
        _ready = true;
        Assert.Equal(HttpStatusCode.OK, (await _host.GetAsync("/-/ready")).Status);
        using var head = await _host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/-/ready"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.GetAsync("/api/v1/query?query=up")).Status);
    }

    private static IEnumerable<JsonElement> Series(JsonElement data) =>
        data.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("metric"));
}
