using System.Text.Json;
using Kansoku.Core.Exposition;
using Kansoku.Core.Labels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Prometheus;

/// <summary>
/// <c>/api/v1/query</c>, <c>/query_range</c>, <c>/series</c>, <c>/labels</c> and <c>/label/{name}/values</c> with
/// Prometheus' parameters, JSON and errors (web/api/v1/api.go). Queries are selectors only until the PromQL engine lands.
/// </summary>
internal static class PrometheusQueryEndpoints
{
    /// <summary>Prometheus' cap on points per series in a range query (a week at 60 s, a year at 1 h).</summary>
    private const long MaxPointsPerSeries = 11_000;

    private static readonly string[] s_getAndPost = ["GET", "POST"];

    public static IEndpointRouteBuilder MapPrometheusQueryEndpoints(this IEndpointRouteBuilder app, PrometheusApiOptions options)
    {
        var defaultLookbackMs = (long)options.LookbackDelta.TotalMilliseconds;
        app.MapMethods("/api/v1/query", s_getAndPost, ApiResponse.Handler(options, request =>
        {
            var time = ApiTime.ParseTimeParameter(request.Value("time"), "time", options.Time.GetUtcNow().ToUnixTimeMilliseconds());
            var evaluator = Evaluator(request, options, defaultLookbackMs);
            var selector = ParseQuery(request);
            var result = WithTimeout(request, token => evaluator.Instant(selector, time, token));
            return Data(writer => PrometheusJson.WriteResult(writer, result));
        }));
        app.MapMethods("/api/v1/query_range", s_getAndPost, ApiResponse.Handler(options, request =>
        {
            var start = ParseRequiredTime(request, "start");
            var end = ParseRequiredTime(request, "end");
            if (end < start)
            {
                throw PrometheusApiException.InvalidParameter("end", "end timestamp must not be before start time");
            }
            var step = ApiTime.ParseDurationParameter(request.Value("step"), "step");
            if (step <= 0)
            {
                throw PrometheusApiException.InvalidParameter("step",
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
            }
            if ((end - start) / step > MaxPointsPerSeries)
            {
                throw PrometheusApiException.BadData(
                    "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
            }
            var evaluator = Evaluator(request, options, defaultLookbackMs);
            var selector = ParseQuery(request);
            var result = WithTimeout(request, token => evaluator.Range(selector, start, end, step, token));
            return Data(writer => PrometheusJson.WriteResult(writer, result));
        }));
        app.MapMethods("/api/v1/series", s_getAndPost, ApiResponse.Handler(options, request =>
        {
            var selectors = request.Values("match[]");
            if (selectors.Count == 0)
            {
                throw PrometheusApiException.BadData("no match[] parameter provided");
            }
            var (start, end) = LookupRange(request);
            var matcherSets = ParseMatcherSets(selectors, wrapAsParameter: true);
            var series = new HashSet<LabelSet>();
            using (var querier = options.Samples.Querier(start, end))
            {
                foreach (var matchers in matcherSets)
                {
                    foreach (var found in querier.Select(matchers))
                    {
                        series.Add(found.Labels);
                    }
                }
            }
            var sorted = new List<LabelSet>(series);
            sorted.Sort(LabelSetComparer.Instance);
            return Data(writer =>
            {
                writer.WriteStartArray();
                foreach (var labels in sorted)
                {
                    PrometheusJson.WriteLabels(writer, labels.AsSpan());
                }
                writer.WriteEndArray();
            });
        }));
        app.MapMethods("/api/v1/labels", s_getAndPost, ApiResponse.Handler(options, request =>
        {
            var (start, end) = LookupRange(request);
            var matcherSets = ParseMatcherSets(request.Values("match[]"), wrapAsParameter: false);
            using var querier = options.Samples.Querier(start, end);
            return Strings(matcherSets.Count == 0 ? querier.LabelNames([]) : Union(matcherSets, querier.LabelNames));
        }));
        app.MapMethods("/api/v1/label/{name}/values", s_getAndPost, ApiResponse.Handler(options, request =>
        {
            var name = (string)request.Context.Request.RouteValues["name"]!;
            if (!MetricNames.IsValidLabelName(name))
            {
                throw PrometheusApiException.BadData($"invalid label name: {GoQuote.Quote(name)}");
            }
            var (start, end) = LookupRange(request);
            var matcherSets = ParseMatcherSets(request.Values("match[]"), wrapAsParameter: false);
            using var querier = options.Samples.Querier(start, end);
            return Strings(matcherSets.Count == 0
                ? querier.LabelValues(name, [])
                : Union(matcherSets, matchers => querier.LabelValues(name, matchers)));
        }));
        return app;
    }

    private static Task<Action<Utf8JsonWriter>> Data(Action<Utf8JsonWriter> write) => Task.FromResult(write);

    private static Task<Action<Utf8JsonWriter>> Strings(IReadOnlyList<string> values) => Data(writer =>
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    });

    private static List<string> Union(List<IReadOnlyList<LabelMatcher>> matcherSets, Func<IReadOnlyList<LabelMatcher>, IReadOnlyList<string>> lookup)
    {
        var union = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var matchers in matcherSets)
        {
            union.UnionWith(lookup(matchers));
        }
        return [.. union];
    }

    /// <summary>The evaluator for this request: the server's lookback delta unless <c>lookback_delta</c> overrides it.</summary>
    private static SelectorEvaluator Evaluator(ApiRequest request, PrometheusApiOptions options, long defaultLookbackMs)
    {
        var lookback = defaultLookbackMs;
        if (request.Value("lookback_delta") is { } text)
        {
            lookback = ApiTime.ParseDurationParameter(text, "lookback_delta");
            if (lookback < 0)
            {
                throw PrometheusApiException.InvalidParameter("lookback_delta", "lookback delta must be a positive duration");
            }
            if (lookback == 0)
            {
                lookback = defaultLookbackMs;
            }
        }
        return new SelectorEvaluator(options.Samples, lookback);
    }

    private static Selector ParseQuery(ApiRequest request)
    {
        try
        {
            return SelectorParser.Parse(request.Value("query") ?? "");
        }
        catch (SelectorParseException e)
        {
            throw PrometheusApiException.InvalidParameter("query", e.Message);
        }
    }

    private static long ParseRequiredTime(ApiRequest request, string parameter)
    {
        var text = request.Value(parameter) ?? "";
        return ApiTime.TryParseTime(text, out var milliseconds)
            ? milliseconds
            : throw PrometheusApiException.InvalidParameter(parameter, $"cannot parse {GoQuote.Quote(text)} to a valid timestamp");
    }

    /// <summary><c>start</c> and <c>end</c> of the metadata lookups: Prometheus' whole time range when absent.</summary>
    private static (long Start, long End) LookupRange(ApiRequest request) =>
        (ApiTime.ParseTimeParameter(request.Value("start"), "start", ApiTime.MinTimeMs),
         ApiTime.ParseTimeParameter(request.Value("end"), "end", ApiTime.MaxTimeMs));

    private static List<IReadOnlyList<LabelMatcher>> ParseMatcherSets(List<string> selectors, bool wrapAsParameter)
    {
        var sets = new List<IReadOnlyList<LabelMatcher>>(selectors.Count);
        foreach (var text in selectors)
        {
            try
            {
                sets.Add(SelectorParser.ParseMetricSelector(text));
            }
            catch (SelectorParseException e)
            {
                throw wrapAsParameter ? PrometheusApiException.InvalidParameter("match[]", e.Message) : PrometheusApiException.BadData(e.Message);
            }
        }
        return sets;
    }

    /// <summary>
    /// Runs an evaluation under the request's <c>timeout</c>: a timeout answers 503 <c>timeout</c>, a client that went away
    /// <c>canceled</c>, as Prometheus' engine reports them.
    /// </summary>
    private static QueryResult WithTimeout(ApiRequest request, Func<CancellationToken, QueryResult> evaluate)
    {
        var aborted = request.Context.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (request.Value("timeout") is { } text)
        {
            var timeout = ApiTime.ParseDurationParameter(text, "timeout");
            if (timeout <= 0)
            {
                deadline.Cancel();
            }
            else
            {
                deadline.CancelAfter(TimeSpan.FromMilliseconds(timeout));
            }
        }
        try
        {
            return evaluate(deadline.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            throw new PrometheusApiException(PrometheusErrorType.Timeout, "query timed out in expression evaluation");
        }
        catch (OperationCanceledException)
        {
            throw new PrometheusApiException(PrometheusErrorType.Canceled, "query was canceled in expression evaluation");
        }
    }
}
