using System.Text.Json;
using Kansoku.Core.Exposition;
using Kansoku.Core.Labels;
using Kansoku.PromQL.Engine;
using Kansoku.PromQL.Parser;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Prometheus;

/// <summary>
/// <c>/api/v1/query</c>, <c>/query_range</c>, <c>/series</c>, <c>/labels</c> and <c>/label/{name}/values</c> with
/// Prometheus' parameters, JSON and errors (web/api/v1/api.go); queries run on the PromQL engine.
/// </summary>
internal static class PrometheusQueryEndpoints
{
    /// <summary>Prometheus' cap on points per series in a range query (a week at 60 s, a year at 1 h).</summary>
    private const long MaxPointsPerSeries = 11_000;

    private static readonly string[] s_getAndPost = ["GET", "POST"];

    public static IEndpointRouteBuilder MapPrometheusQueryEndpoints(this IEndpointRouteBuilder app, PrometheusApiOptions options)
    {
        app.MapMethods("/api/v1/query", s_getAndPost, ApiResponse.QueryHandler(options, request =>
        {
            var time = ApiTime.ParseTimeParameter(request.Value("time"), "time", options.Time.GetUtcNow().ToUnixTimeMilliseconds());
            var engine = Engine(request, options);
            var (query, expression) = ParseQuery(request);
            return Task.FromResult(WithTimeout(request, token => engine.Instant(expression, query, time, token)));
        }));
        app.MapMethods("/api/v1/query_range", s_getAndPost, ApiResponse.QueryHandler(options, request =>
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
            var engine = Engine(request, options);
            var (query, expression) = ParseQuery(request);
            if (Unparenthesized(expression).Type is not (PromQL.Parser.ValueType.Scalar or PromQL.Parser.ValueType.Vector))
            {
                throw PrometheusApiException.BadData(
                    $"invalid expression type {GoQuote.Quote(Unparenthesized(expression).Type.DocumentedName())} for range query, must be Scalar or instant Vector");
            }
            return Task.FromResult(WithTimeout(request, token => engine.Range(expression, query, start, end, step, token)));
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

    /// <summary>The engine for this request: the server's lookback delta unless <c>lookback_delta</c> overrides it.</summary>
    private static PromQLEngine Engine(ApiRequest request, PrometheusApiOptions options)
    {
        var lookback = options.LookbackDelta;
        if (request.Value("lookback_delta") is { } text)
        {
            var milliseconds = ApiTime.ParseDurationParameter(text, "lookback_delta");
            if (milliseconds < 0)
            {
                throw PrometheusApiException.InvalidParameter("lookback_delta", "lookback delta must be a positive duration");
            }
            if (milliseconds > 0)
            {
                lookback = TimeSpan.FromMilliseconds(milliseconds);
            }
        }
        return new PromQLEngine(options.Samples, options.Engine with { LookbackDelta = lookback });
    }

    private static (string Query, Expr Expression) ParseQuery(ApiRequest request)
    {
        var query = request.Value("query") ?? "";
        try
        {
            return (query, PromQLParser.Parse(query));
        }
        catch (PromQLParseException e)
        {
            throw PrometheusApiException.InvalidParameter("query", e.Message);
        }
    }

    private static Expr Unparenthesized(Expr expression) => expression is ParenExpr paren ? Unparenthesized(paren.Expression) : expression;

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
                sets.Add(MetricSelector(text));
            }
            catch (PromQLParseException e)
            {
                throw wrapAsParameter ? PrometheusApiException.InvalidParameter("match[]", e.Message) : PrometheusApiException.BadData(e.Message);
            }
        }
        return sets;
    }

    /// <summary>A series selector as <c>match[]</c> takes it (Prometheus' <c>ParseMetricSelector</c>): a vector selector, nothing more.</summary>
    private static IReadOnlyList<LabelMatcher> MetricSelector(string text) => PromQLParser.Parse(text) switch
    {
        VectorSelector { OriginalOffset.Ticks: 0, At: AtModifier.None, Timestamp: null } selector => selector.Matchers,
        MatrixSelector => throw PromQLParseException.At([], default, "expected a vector selector, not a range selector"),
        _ => throw PromQLParseException.At([], default, "expected a vector selector"),
    };

    /// <summary>
    /// Runs an evaluation under the request's <c>timeout</c>: a timeout answers 503 <c>timeout</c>, a client that went away
    /// <c>canceled</c>, as Prometheus' engine reports them.
    /// </summary>
    private static PromQL.Engine.QueryResult WithTimeout(ApiRequest request, Func<CancellationToken, PromQL.Engine.QueryResult> evaluate)
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
        catch (QueryException e)
        {
            throw new PrometheusApiException(e.IsTimeout ? PrometheusErrorType.Timeout : PrometheusErrorType.Execution, e.Message);
        }
    }
}
