using Kansoku.LogQL.Engine.Metrics;
using Kansoku.LogQL.Parser;
using Kansoku.LogQL.Parser.Ast;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Engine;

/// <summary>
/// Evaluates LogQL over an <see cref="ILogQuerier"/> with Loki's semantics: the entry point of the Loki query API
/// (<c>/loki/api/v1/query_range</c> → <see cref="QueryRange"/>, <c>/loki/api/v1/query</c> → <see cref="QueryInstant"/>).
/// Thread-safe: each call evaluates independently.
/// </summary>
internal sealed class LogQLEngine
{
    private readonly ILogQuerier _querier;
    private readonly LogQLEngineOptions _options;
    private readonly TimeProvider _clock;

    public LogQLEngine(ILogQuerier querier, LogQLEngineOptions? options = null, TimeProvider? clock = null)
    {
        _querier = querier;
        _options = options ?? new LogQLEngineOptions();
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// Loki's <c>query_range</c>. A log query returns streams from <c>[start, end)</c>, at most <paramref name="limit"/>
    /// entries in <paramref name="direction"/> order (<paramref name="intervalNanos"/> &gt; 0 keeps one entry per interval);
    /// a metric query returns a matrix evaluated at start, start + step, ... up to end inclusive (a number: one series).
    /// </summary>
    /// <exception cref="LogQLParseException">The query is not valid LogQL.</exception>
    /// <exception cref="LogQLEvaluationException">The query failed or hit a limit (see its Kind).</exception>
    public QueryResult QueryRange(string query, long startUnixNano, long endUnixNano, long stepNanos, LogDirection direction, int limit,
        long intervalNanos = 0, CancellationToken cancellationToken = default)
    {
        var expression = LogQLParser.Parse(query);
        if (endUnixNano < startUnixNano)
        {
            throw new LogQLEvaluationException("end timestamp must not be before start time");
        }
        if (expression is LogSelectorExpr selector)
        {
            return SelectLogs(query, selector, new LogQueryRange(startUnixNano, endUnixNano, direction, limit, intervalNanos), cancellationToken);
        }
        if (stepNanos <= 0)
        {
            throw new LogQLEvaluationException(LogQLErrorKind.Resolution,
                "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((endUnixNano - startUnixNano) / stepNanos >= _options.MaxPointsPerSeries)
        {
            throw new LogQLEvaluationException(LogQLErrorKind.Resolution,
                $"exceeded maximum resolution of {_options.MaxPointsPerSeries:N0} points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        return EvaluateMetric(query, (SampleExpr)expression, new StepRange(startUnixNano, endUnixNano, stepNanos), cancellationToken);
    }

    /// <summary>Loki's instant <c>query</c>: metric queries only, evaluated at <paramref name="timeUnixNano"/>.</summary>
    /// <exception cref="LogQLParseException">The query is not valid LogQL.</exception>
    /// <exception cref="LogQLEvaluationException">A log query, or the query failed or hit a limit.</exception>
    public QueryResult QueryInstant(string query, long timeUnixNano, CancellationToken cancellationToken = default)
    {
        var expression = LogQLParser.Parse(query);
        if (expression is not SampleExpr sample)
        {
            throw new LogQLEvaluationException(
                "log queries are not supported as an instant query type, please change your query to a range query type");
        }
        return EvaluateMetric(query, sample, new StepRange(timeUnixNano, timeUnixNano, 0), cancellationToken);
    }

    /// <summary>Runs a parsed log query; <paramref name="query"/> is its text, for error positions.</summary>
    public StreamsResult SelectLogs(string query, LogSelectorExpr selector, LogQueryRange range, CancellationToken cancellationToken = default)
    {
        using var context = new QueryContext(_querier, query, _options, _clock, cancellationToken);
        return LogQueryEvaluator.Evaluate(selector, range, context);
    }

    /// <summary>
    /// Runs a parsed metric query over <paramref name="steps"/>: a vector (or a scalar for a number) when instant, else
    /// a matrix. <paramref name="query"/> is its text, for error positions.
    /// </summary>
    public QueryResult EvaluateMetric(string query, SampleExpr expression, StepRange steps, CancellationToken cancellationToken = default)
    {
        using var context = new QueryContext(_querier, query, _options, _clock, cancellationToken);
        if (ScalarFolding.TryFold(expression, query, out var scalar))
        {
            return steps.IsInstant
                ? new ScalarResult(steps.Start / 1_000_000, scalar, context.Statistics)
                : ConstantMatrix(LabelList.Empty, scalar, steps, context);
        }
        if (expression is VectorExpr vector)
        {
            return steps.IsInstant
                ? new VectorResult([new Sample(LabelList.Empty, steps.Start / 1_000_000, vector.Value)], context.Statistics)
                : ConstantMatrix(LabelList.Empty, vector.Value, steps, context);
        }
        using var evaluator = new StepEvaluatorFactory(context, query, steps).Create(expression);
        return steps.IsInstant ? Instant(evaluator, expression, context) : Range(evaluator, context);
    }

    private VectorResult Instant(StepEvaluator evaluator, SampleExpr expression, QueryContext context)
    {
        var samples = new List<Sample>();
        if (evaluator.Next(out var timestampMs, out var vector))
        {
            if (vector.Count > _options.MaxQuerySeries)
            {
                throw SeriesLimit();
            }
            foreach (var sample in vector)
            {
                samples.Add(new Sample(sample.Labels, timestampMs, sample.Value));
            }
        }
        if (!Sorts(expression))
        {
            samples.Sort(static (a, b) => LabelList.Compare(a.Labels, b.Labels));
        }
        return new VectorResult(samples, context.Statistics);
    }

    private MatrixResult Range(StepEvaluator evaluator, QueryContext context)
    {
        var series = new Dictionary<LabelList, List<SamplePoint>>();
        while (evaluator.Next(out var timestampMs, out var vector))
        {
            foreach (var sample in vector)
            {
                if (!series.TryGetValue(sample.Labels, out var points))
                {
                    if (series.Count >= _options.MaxQuerySeries)
                    {
                        throw SeriesLimit();
                    }
                    points = [];
                    series.Add(sample.Labels, points);
                }
                points.Add(new SamplePoint(timestampMs, sample.Value));
            }
        }
        return SortedMatrix(series, context);
    }

    private static MatrixResult ConstantMatrix(LabelList labels, double value, StepRange steps, QueryContext context)
    {
        var points = new List<SamplePoint>();
        for (var t = steps.Start; t <= steps.End; t += steps.Step)
        {
            points.Add(new SamplePoint(t / 1_000_000, value));
        }
        return new MatrixResult([new Series(labels, points)], context.Statistics);
    }

    private static MatrixResult SortedMatrix(Dictionary<LabelList, List<SamplePoint>> series, QueryContext context)
    {
        var result = new List<Series>(series.Count);
        foreach (var (labels, points) in series)
        {
            result.Add(new Series(labels, points));
        }
        result.Sort(static (a, b) => LabelList.Compare(a.Labels, b.Labels));
        return new MatrixResult(result, context.Statistics);
    }

    private LogQLEvaluationException SeriesLimit() => new(LogQLErrorKind.SeriesLimit,
        $"maximum number of series ({_options.MaxQuerySeries}) reached for a single query; consider reducing query cardinality by " +
        "adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()");

    /// <summary>Loki keeps the order of <c>sort</c>/<c>sort_desc</c> anywhere in the query instead of sorting by labels.</summary>
    private static bool Sorts(SampleExpr expression) => expression switch
    {
        VectorAggregationExpr { Operation: VectorOperation.Sort or VectorOperation.SortDesc } => true,
        VectorAggregationExpr aggregation => Sorts(aggregation.Inner),
        BinaryOpExpr binary => Sorts(binary.Left) || Sorts(binary.Right),
        LabelReplaceExpr replace => Sorts(replace.Inner),
        _ => false,
    };
}
