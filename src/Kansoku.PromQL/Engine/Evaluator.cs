using Kansoku.Core.Labels;
using Kansoku.PromQL.Parser;
using Kansoku.Storage.Metrics;

namespace Kansoku.PromQL.Engine;

/// <summary>
/// One query's evaluation (Prometheus' evaluator): walks the AST at each evaluation time. Each selector's series are
/// read from the store once per query, over the whole time span any step can reach, and windows are cut from them by
/// binary search. Not thread-safe; used once.
/// </summary>
internal sealed partial class Evaluator : IDisposable
{
    private readonly ISampleQueryable _storage;
    private readonly EngineOptions _options;
    private readonly string _query;
    private readonly long _startMs;
    private readonly long _endMs;
    private readonly long _stepMs;
    private readonly CancellationToken _deadline;
    private readonly CancellationToken _caller;
    private readonly long _minTimeMs;
    private readonly long _maxTimeMs;
    private readonly Dictionary<VectorSelector, SelectedSeries[]> _selected = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _warnings = [];
    private readonly List<string> _infos = [];
    private ISampleQuerier? _querier;
    private int _currentSamples;

    public Evaluator(
        ISampleQueryable storage, EngineOptions options, string query, long startMs, long endMs, long stepMs, Expr expression,
        CancellationToken deadline, CancellationToken caller)
    {
        _storage = storage;
        _options = options;
        _query = query;
        _startMs = startMs;
        _endMs = endMs;
        _stepMs = stepMs;
        _deadline = deadline;
        _caller = caller;
        var (earliest, latest) = (startMs, endMs);
        var (before, after) = Reach(expression, ref earliest, ref latest);
        _minTimeMs = earliest - before;
        _maxTimeMs = latest + after;
    }

    public IReadOnlyList<string> Warnings => _warnings;

    public IReadOnlyList<string> Infos => _infos;

    public void Dispose() => _querier?.Dispose();

    /// <summary>The query's value: at one time for an instant query, else a matrix of every step's vector or scalar.</summary>
    public QueryValue Run(Expr expression)
    {
        if (_stepMs == 0)
        {
            _currentSamples = 0;
            var value = Evaluate(expression, _startMs);
            return value switch
            {
                VectorValue vector => new VectorValue(FinishVector(vector.Samples, _startMs)),
                MatrixValue matrix => FinishMatrix(matrix.Series),
                _ => value,
            };
        }
        var series = new Dictionary<LabelSet, SeriesPoints>();
        var totalPoints = 0;
        for (var t = _startMs; t <= _endMs; t += _stepMs)
        {
            _currentSamples = totalPoints;
            switch (Evaluate(expression, t))
            {
                case ScalarValue scalar:
                    Append(series, LabelSet.Empty, new FloatPoint(t, scalar.Value));
                    totalPoints++;
                    break;
                case VectorValue vector:
                    foreach (var sample in FinishVector(vector.Samples, t))
                    {
                        Append(series, sample.Metric, new FloatPoint(t, sample.Value));
                    }
                    totalPoints += vector.Samples.Count;
                    break;
            }
            if (totalPoints > _options.MaxSamples)
            {
                throw QueryException.TooManySamples();
            }
        }
        var result = new List<SeriesPoints>(series.Values);
        result.Sort(static (a, b) => LabelSetComparer.Instance.Compare(a.Metric, b.Metric));
        return new MatrixValue(result);
    }

    private static void Append(Dictionary<LabelSet, SeriesPoints> series, LabelSet labels, FloatPoint point)
    {
        if (!series.TryGetValue(labels, out var points))
        {
            points = new SeriesPoints(labels, []);
            series.Add(labels, points);
        }
        points.Points.Add(point);
    }

    /// <summary>
    /// Drops the names marked for dropping and refuses two samples with one label set, as Prometheus' final step; every
    /// sample is stamped with the evaluation time, as Prometheus answers (the sample's own time is what timestamp() reads).
    /// </summary>
    private static List<Sample> FinishVector(List<Sample> samples, long evaluationTimeMs)
    {
        var result = new List<Sample>(samples.Count);
        var seen = new HashSet<LabelSet>();
        foreach (var sample in samples)
        {
            var metric = sample.DropName ? WithoutName(sample.Metric) : sample.Metric;
            if (!seen.Add(metric))
            {
                throw new QueryException("vector cannot contain metrics with the same labelset");
            }
            result.Add(sample with { Metric = metric, TimestampMs = evaluationTimeMs, DropName = false });
        }
        return result;
    }

    private static MatrixValue FinishMatrix(List<SeriesPoints> series)
    {
        var seen = new HashSet<LabelSet>();
        foreach (var s in series)
        {
            if (s.DropName)
            {
                s.Metric = WithoutName(s.Metric);
                s.DropName = false;
            }
            if (!seen.Add(s.Metric))
            {
                throw new QueryException("vector cannot contain metrics with the same labelset");
            }
        }
        return new MatrixValue(series);
    }

    /// <summary>
    /// The labels without <c>__name__</c>, and without the type-and-unit metadata labels (<c>__type__</c>,
    /// <c>__unit__</c>) that describe the name, as Prometheus drops them together.
    /// </summary>
    internal static LabelSet WithoutName(LabelSet labels)
    {
        if (labels.Has(LabelNames.MetricName))
        {
            labels = labels.With(LabelNames.MetricName, "");
        }
        if (labels.Has("__type__"))
        {
            labels = labels.With("__type__", "");
        }
        return labels.Has("__unit__") ? labels.With("__unit__", "") : labels;
    }

    private QueryValue Evaluate(Expr expression, long t)
    {
        CheckCancellation();
        return expression switch
        {
            NumberLiteral number => new ScalarValue(t, number.Value),
            StringLiteral text => new StringValue(t, text.Value),
            ParenExpr paren => Evaluate(paren.Expression, t),
            UnaryExpr unary => EvaluateUnary(unary, t),
            VectorSelector selector => SelectVector(selector, t),
            MatrixSelector matrix => SelectMatrix(matrix, t),
            SubqueryExpr subquery => EvaluateSubquery(subquery, t),
            Call call => EvaluateCall(call, t),
            AggregateExpr aggregate => EvaluateAggregate(aggregate, t),
            BinaryExpr binary => EvaluateBinary(binary, t),
            _ => throw new QueryException($"unhandled expression of type {expression.GetType().Name}"),
        };
    }

    private void CheckCancellation()
    {
        if (_deadline.IsCancellationRequested)
        {
            _caller.ThrowIfCancellationRequested();
            throw QueryException.Timeout();
        }
    }

    private QueryValue EvaluateUnary(UnaryExpr unary, long t)
    {
        var operand = Evaluate(unary.Expression, t);
        if (unary.Operator != UnaryOperator.Minus)
        {
            return operand;
        }
        if (operand is ScalarValue scalar)
        {
            return new ScalarValue(t, -scalar.Value);
        }
        var samples = ((VectorValue)operand).Samples;
        var result = new List<Sample>(samples.Count);
        foreach (var sample in samples)
        {
            result.Add(new Sample(sample.Metric, t, -sample.Value, DropName: true));
        }
        return new VectorValue(result);
    }

    /// <summary>The series a selector matches, all their samples in the query's reach, stale markers included.</summary>
    private SelectedSeries[] Selected(VectorSelector selector)
    {
        if (_selected.TryGetValue(selector, out var cached))
        {
            return cached;
        }
        _querier ??= _storage.Querier(_minTimeMs, _maxTimeMs);
        var series = _querier.Select(selector.Matchers);
        var selected = new SelectedSeries[series.Count];
        var points = new List<FloatPoint>();
        for (var i = 0; i < series.Count; i++)
        {
            points.Clear();
            var iterator = series[i].Iterator();
            while (iterator.Next())
            {
                points.Add(new FloatPoint(iterator.TimestampMs, iterator.Value));
            }
            selected[i] = new SelectedSeries(series[i].Labels, [.. points]);
        }
        _selected.Add(selector, selected);
        return selected;
    }

    private VectorValue SelectVector(VectorSelector selector, long t)
    {
        var time = SelectorTime(selector, t);
        var lookback = (long)_options.LookbackDelta.TotalMilliseconds;
        var result = new List<Sample>();
        foreach (var series in Selected(selector))
        {
            var last = LastAtOrBefore(series.Points, time);
            if (last < 0)
            {
                continue;
            }
            var point = series.Points[last];
            if (!InsideWindowStart(point.TimestampMs, time - lookback) || StaleMarker.Is(point.Value))
            {
                continue;
            }
            result.Add(new Sample(series.Labels, point.TimestampMs, point.Value));
        }
        CountSamples(result.Count);
        return new VectorValue(result);
    }

    private MatrixValue SelectMatrix(MatrixSelector matrix, long t)
    {
        var time = SelectorTime(matrix.Selector, t);
        var range = matrix.RangeExpression is null
            ? (long)matrix.Range.TotalMilliseconds
            : SecondsToMs(matrix.RangeExpression.Evaluate(QueryStep, QueryRange));
        var result = new List<SeriesPoints>();
        var total = 0;
        var anchored = matrix.Selector.Anchored || matrix.Selector.Smoothed;
        var lookback = (long)_options.LookbackDelta.TotalMilliseconds;
        foreach (var series in Selected(matrix.Selector))
        {
            var points = anchored
                ? ExtendedWindow(series.Points, time - range, time, lookback, matrix.Selector.Smoothed)
                : Window(series.Points, time - range, time);
            if (points.Count > 0)
            {
                result.Add(new SeriesPoints(series.Labels, points));
                total += points.Count;
            }
        }
        CountSamples(total);
        return new MatrixValue(result);
    }

    /// <summary>The points of (from, to] (or [from, to] with closed windows) without stale markers.</summary>
    private List<FloatPoint> Window(FloatPoint[] points, long from, long to)
    {
        var last = LastAtOrBefore(points, to);
        var window = new List<FloatPoint>();
        var first = last;
        while (first >= 0 && InsideWindowStart(points[first].TimestampMs, from))
        {
            first--;
        }
        for (var i = first + 1; i <= last; i++)
        {
            if (!StaleMarker.Is(points[i].Value))
            {
                window.Add(points[i]);
            }
        }
        return window;
    }

    /// <summary>
    /// An anchored window: the last point at or before the start (within the lookback delta) and those up to the end;
    /// a smoothed one also keeps the first point at or after the end (within the lookback delta).
    /// </summary>
    private static List<FloatPoint> ExtendedWindow(FloatPoint[] points, long from, long to, long lookback, bool smoothed)
    {
        var window = new List<FloatPoint>();
        var anchor = LastAtOrBefore(points, from);
        while (anchor >= 0 && StaleMarker.Is(points[anchor].Value))
        {
            anchor--;
        }
        if (anchor >= 0 && points[anchor].TimestampMs > from - lookback)
        {
            window.Add(points[anchor]);
        }
        for (var i = Math.Max(anchor + 1, 0); i < points.Length; i++)
        {
            var point = points[i];
            if (point.TimestampMs <= from || StaleMarker.Is(point.Value))
            {
                continue;
            }
            if (point.TimestampMs > to)
            {
                if (smoothed && point.TimestampMs < to + lookback && (window.Count == 0 || window[^1].TimestampMs < to))
                {
                    window.Add(point);
                }
                break;
            }
            window.Add(point);
        }
        return window;
    }

    private bool InsideWindowStart(long timestampMs, long windowStartMs) =>
        _options.ClosedWindows ? timestampMs >= windowStartMs : timestampMs > windowStartMs;

    private static int LastAtOrBefore(FloatPoint[] points, long timestampMs)
    {
        int low = 0, high = points.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (points[middle].TimestampMs <= timestampMs)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low - 1;
    }

    private MatrixValue EvaluateSubquery(SubqueryExpr subquery, long t)
    {
        var time = ModifiedTime(subquery.Timestamp, subquery.At, subquery.OriginalOffset, subquery.OffsetExpression, t);
        var range = subquery.RangeExpression is null
            ? (long)subquery.Range.TotalMilliseconds
            : SecondsToMs(subquery.RangeExpression.Evaluate(QueryStep, QueryRange));
        var step = subquery.StepExpression is not null
            ? SecondsToMs(subquery.StepExpression.Evaluate(QueryStep, QueryRange))
            : subquery.Step > TimeSpan.Zero ? (long)subquery.Step.TotalMilliseconds : (long)_options.DefaultSubqueryStep.TotalMilliseconds;
        var start = time - range;
        // Steps are aligned to multiples of the step (Go's truncating division), the first strictly after the start.
        var first = start / step * step;
        if (_options.ClosedWindows ? first < start : first <= start)
        {
            first += step;
        }
        var series = new Dictionary<LabelSet, SeriesPoints>();
        var total = 0;
        for (var τ = first; τ <= time; τ += step)
        {
            switch (Evaluate(subquery.Expression, τ))
            {
                case ScalarValue scalar:
                    Append(series, LabelSet.Empty, new FloatPoint(τ, scalar.Value));
                    total++;
                    break;
                case VectorValue vector:
                    foreach (var sample in vector.Samples)
                    {
                        if (!series.TryGetValue(sample.Metric, out var points))
                        {
                            points = new SeriesPoints(sample.Metric, [], sample.DropName);
                            series.Add(sample.Metric, points);
                        }
                        points.Points.Add(new FloatPoint(τ, sample.Value));
                    }
                    total += vector.Samples.Count;
                    break;
            }
        }
        CountSamples(total);
        var result = new List<SeriesPoints>(series.Values);
        result.Sort(static (a, b) => LabelSetComparer.Instance.Compare(a.Metric, b.Metric));
        return new MatrixValue(result);
    }

    private long SelectorTime(VectorSelector selector, long t) =>
        ModifiedTime(selector.Timestamp, selector.At, selector.OriginalOffset, selector.OffsetExpression, t);

    /// <summary>The time a selector or subquery reads at: its <c>@</c> time (or the evaluation time) minus its offset.</summary>
    private long ModifiedTime(long? timestamp, AtModifier at, TimeSpan offset, DurationExpr? offsetExpression, long t)
    {
        var time = at switch
        {
            AtModifier.Start => _startMs,
            AtModifier.End => _endMs,
            _ => timestamp ?? t,
        };
        var offsetMs = offsetExpression is null ? (long)offset.TotalMilliseconds : SecondsToMs(offsetExpression.Evaluate(QueryStep, QueryRange));
        return time - offsetMs;
    }

    private TimeSpan QueryStep => TimeSpan.FromMilliseconds(_stepMs);

    private TimeSpan QueryRange => TimeSpan.FromMilliseconds(_endMs - _startMs);

    private static long SecondsToMs(double seconds) => (long)Math.Round(seconds * 1000);

    private void CountSamples(int count)
    {
        _currentSamples += count;
        if (_currentSamples > _options.MaxSamples)
        {
            throw QueryException.TooManySamples();
        }
    }

    /// <summary>
    /// How far before and after the evaluation times the expression can read (ranges, lookback, offsets, subquery
    /// steps along each path), widening <paramref name="earliest"/> / <paramref name="latest"/> to every <c>@</c> time.
    /// </summary>
    private (long Before, long After) Reach(Expr expression, ref long earliest, ref long latest)
    {
        switch (expression)
        {
            case VectorSelector selector:
                Widen(selector.Timestamp, ref earliest, ref latest);
                return Shift(OffsetBound(selector.OriginalOffset, selector.OffsetExpression), (long)_options.LookbackDelta.TotalMilliseconds, 0);
            case MatrixSelector matrix:
                Widen(matrix.Selector.Timestamp, ref earliest, ref latest);
                var range = matrix.RangeExpression is null ? (long)matrix.Range.TotalMilliseconds : 0;
                return Shift(OffsetBound(matrix.Selector.OriginalOffset, matrix.Selector.OffsetExpression), range + DurationExpressionSlack(matrix.RangeExpression), 0);
            case SubqueryExpr subquery:
                Widen(subquery.Timestamp, ref earliest, ref latest);
                var (innerBefore, innerAfter) = Reach(subquery.Expression, ref earliest, ref latest);
                var ownRange = (long)subquery.Range.TotalMilliseconds + DurationExpressionSlack(subquery.RangeExpression);
                return Shift(OffsetBound(subquery.OriginalOffset, subquery.OffsetExpression), innerBefore + ownRange, innerAfter);
            default:
                long before = 0, after = 0;
                foreach (var child in Children(expression))
                {
                    var (childBefore, childAfter) = Reach(child, ref earliest, ref latest);
                    before = Math.Max(before, childBefore);
                    after = Math.Max(after, childAfter);
                }
                return (before, after);
        }
    }

    /// <summary>A duration expression depends on step and range; bound it by evaluating it with this query's.</summary>
    private long DurationExpressionSlack(DurationExpr? expression) =>
        expression is null ? 0 : Math.Abs(SecondsToMs(expression.Evaluate(QueryStep, QueryRange)));

    private long OffsetBound(TimeSpan offset, DurationExpr? expression) =>
        expression is null ? (long)offset.TotalMilliseconds : SecondsToMs(expression.Evaluate(QueryStep, QueryRange));

    private static (long Before, long After) Shift(long offsetMs, long before, long after) =>
        (Math.Max(0, before + offsetMs), Math.Max(0, after - offsetMs));

    private static void Widen(long? timestamp, ref long earliest, ref long latest)
    {
        if (timestamp is { } at)
        {
            earliest = Math.Min(earliest, at);
            latest = Math.Max(latest, at);
        }
    }

    private static IEnumerable<Expr> Children(Expr expression) => expression switch
    {
        ParenExpr paren => [paren.Expression],
        UnaryExpr unary => [unary.Expression],
        Call call => call.Arguments,
        AggregateExpr aggregate => aggregate.Parameter is null ? [aggregate.Expression] : [aggregate.Parameter, aggregate.Expression],
        BinaryExpr binary => [binary.Left, binary.Right],
        _ => [],
    };

    /// <summary>Prometheus' "(line:column)" suffix of annotations, from the node's byte offset into the query.</summary>
    private string PositionText(PositionRange position)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(_query);
        int line = 1, column = 1;
        for (var i = 0; i < Math.Min(position.Start, bytes.Length); i++)
        {
            if (bytes[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return $"({line}:{column})";
    }

    private void Warn(string message, PositionRange position) => AddOnce(_warnings, $"PromQL warning: {message} {PositionText(position)}");

    private void Info(string message, PositionRange position) => AddOnce(_infos, $"PromQL info: {message} {PositionText(position)}");

    private static void AddOnce(List<string> annotations, string text)
    {
        if (!annotations.Contains(text))
        {
            annotations.Add(text);
        }
    }

    private readonly record struct SelectedSeries(LabelSet Labels, FloatPoint[] Points);
}
