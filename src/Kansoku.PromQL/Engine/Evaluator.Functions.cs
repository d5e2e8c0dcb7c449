using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kansoku.Core.Labels;
using Kansoku.PromQL.Parser;

namespace Kansoku.PromQL.Engine;

internal sealed partial class Evaluator
{
    private QueryValue EvaluateCall(Call call, long t)
    {
        var name = call.Function.Name;
        var matrixIndex = -1;
        for (var i = 0; i < call.Arguments.Count; i++)
        {
            if (call.Arguments[i].Type == Parser.ValueType.Matrix)
            {
                matrixIndex = i;
            }
        }
        if (matrixIndex >= 0)
        {
            return EvaluateRangeFunction(call, name, matrixIndex, t);
        }
        switch (name)
        {
            case "time":
                return new ScalarValue(t, t / 1000.0);
            case "pi":
                return new ScalarValue(t, Math.PI);
            case "start":
                return new ScalarValue(t, _startMs / 1000.0);
            case "end":
                return new ScalarValue(t, _endMs / 1000.0);
            case "step":
                return new ScalarValue(t, _stepMs / 1000.0);
            case "range":
                return new ScalarValue(t, (_endMs - _startMs) / 1000.0);
            case "min_of":
                return new ScalarValue(t, Math.Min(ScalarArgument(call, 0, t), ScalarArgument(call, 1, t)));
            case "max_of":
                return new ScalarValue(t, Math.Max(ScalarArgument(call, 0, t), ScalarArgument(call, 1, t)));
            case "vector":
                return new VectorValue([new Sample(LabelSet.Empty, t, ScalarArgument(call, 0, t))]);
            case "scalar":
                var vector = VectorArgument(call, 0, t);
                return new ScalarValue(t, vector.Count == 1 ? vector[0].Value : double.NaN);
            case "absent":
                return VectorArgument(call, 0, t).Count > 0
                    ? new VectorValue([])
                    : new VectorValue([new Sample(AbsentLabels(call.Arguments[0]), t, 1)]);
            case "timestamp":
                return MapVector(call, t, static sample => sample.TimestampMs / 1000.0);
            case "sort":
            case "sort_desc":
                WarnIfRangeQuery(call);
                return SortByValue(VectorArgument(call, 0, t), descending: name == "sort_desc");
            case "sort_by_label":
            case "sort_by_label_desc":
                WarnIfRangeQuery(call);
                return SortByLabels(call, t, descending: name == "sort_by_label_desc");
            case "label_replace":
                return LabelReplace(call, t);
            case "label_join":
                return LabelJoin(call, t);
            case "clamp":
                return Clamp(call, t, ScalarArgument(call, 1, t), ScalarArgument(call, 2, t));
            case "clamp_min":
                return Clamp(call, t, ScalarArgument(call, 1, t), double.PositiveInfinity);
            case "clamp_max":
                return Clamp(call, t, double.NegativeInfinity, ScalarArgument(call, 1, t));
            case "round":
                var inverse = 1.0 / (call.Arguments.Count > 1 ? ScalarArgument(call, 1, t) : 1.0);
                return MapVector(call, t, sample => Math.Floor(sample.Value * inverse + 0.5) / inverse);
            case "histogram_quantile":
                return HistogramQuantile(call, t);
            case "histogram_fraction":
                return HistogramFraction(call, t);
            case "histogram_quantiles":
                return HistogramQuantiles(call, t);
            case "histogram_avg" or "histogram_count" or "histogram_sum" or "histogram_stddev" or "histogram_stdvar":
                // Only native histograms have these; float samples are ignored.
                return new VectorValue([]);
            case "minute" or "hour" or "day_of_week" or "day_of_month" or "day_of_year" or "days_in_month" or "month" or "year":
                return DateFunction(call, name, t);
            default:
                if (MathFunction(name) is { } function)
                {
                    return MapVector(call, t, sample => function(sample.Value));
                }
                throw new QueryException($"function \"{name}\" is not supported");
        }
    }

    private void WarnIfRangeQuery(Call call)
    {
        if (_stepMs != 0)
        {
            Warn("sort is ineffective for range queries since results are always ordered by labels", call.Position);
        }
    }

    private static Func<double, double>? MathFunction(string name) => name switch
    {
        "abs" => Math.Abs,
        "ceil" => Math.Ceiling,
        "floor" => Math.Floor,
        "exp" => Math.Exp,
        "sqrt" => Math.Sqrt,
        "ln" => Math.Log,
        "log2" => Math.Log2,
        "log10" => Math.Log10,
        "sgn" => static v => v > 0 ? 1 : v < 0 ? -1 : v,
        "acos" => Math.Acos,
        "acosh" => Math.Acosh,
        "asin" => Math.Asin,
        "asinh" => Math.Asinh,
        "atan" => Math.Atan,
        "atanh" => Math.Atanh,
        "cos" => Math.Cos,
        "cosh" => Math.Cosh,
        "sin" => Math.Sin,
        "sinh" => Math.Sinh,
        "tan" => Math.Tan,
        "tanh" => Math.Tanh,
        "deg" => static v => v * 180 / Math.PI,
        "rad" => static v => v * Math.PI / 180,
        _ => null,
    };

    private List<Sample> VectorArgument(Call call, int index, long t) => ((VectorValue)Evaluate(call.Arguments[index], t)).Samples;

    private double ScalarArgument(Call call, int index, long t) => ((ScalarValue)Evaluate(call.Arguments[index], t)).Value;

    private string StringArgument(Call call, int index, long t) => ((StringValue)Evaluate(call.Arguments[index], t)).Value;

    /// <summary>A function of each sample's value; the name is dropped, as for every computed value.</summary>
    private VectorValue MapVector(Call call, long t, Func<Sample, double> function)
    {
        var input = VectorArgument(call, 0, t);
        var result = new List<Sample>(input.Count);
        foreach (var sample in input)
        {
            result.Add(new Sample(sample.Metric, t, function(sample), DropName: true));
        }
        return new VectorValue(result);
    }

    private VectorValue Clamp(Call call, long t, double minimum, double maximum)
    {
        if (maximum < minimum)
        {
            return new VectorValue([]);
        }
        return MapVector(call, t, sample => Math.Max(minimum, Math.Min(maximum, sample.Value)));
    }

    private VectorValue DateFunction(Call call, string name, long t)
    {
        var input = call.Arguments.Count == 0 ? [new Sample(LabelSet.Empty, t, t / 1000.0)] : VectorArgument(call, 0, t);
        var result = new List<Sample>(input.Count);
        foreach (var sample in input)
        {
            var date = DateTimeOffset.UnixEpoch.AddSeconds(Math.Truncate(sample.Value)).UtcDateTime;
            double value = name switch
            {
                "minute" => date.Minute,
                "hour" => date.Hour,
                "day_of_week" => (int)date.DayOfWeek,
                "day_of_month" => date.Day,
                "day_of_year" => date.DayOfYear,
                "days_in_month" => DateTime.DaysInMonth(date.Year, date.Month),
                "month" => date.Month,
                _ => date.Year,
            };
            result.Add(new Sample(sample.Metric, t, value, DropName: true));
        }
        return new VectorValue(result);
    }

    /// <summary>sort / sort_desc: by value, NaN last either way.</summary>
    private static VectorValue SortByValue(List<Sample> input, bool descending)
    {
        var sorted = new List<Sample>(input);
        sorted.Sort((a, b) =>
        {
            if (double.IsNaN(a.Value) || double.IsNaN(b.Value))
            {
                return double.IsNaN(a.Value).CompareTo(double.IsNaN(b.Value));
            }
            return descending ? b.Value.CompareTo(a.Value) : a.Value.CompareTo(b.Value);
        });
        return new VectorValue(sorted);
    }

    private VectorValue SortByLabels(Call call, long t, bool descending)
    {
        var input = new List<Sample>(VectorArgument(call, 0, t));
        var labels = new string[call.Arguments.Count - 1];
        for (var i = 1; i < call.Arguments.Count; i++)
        {
            labels[i - 1] = StringArgument(call, i, t);
        }
        input.Sort((a, b) =>
        {
            foreach (var label in labels)
            {
                var order = NaturalOrder.Compare(a.Metric.Get(label), b.Metric.Get(label));
                if (order != 0)
                {
                    return descending ? -order : order;
                }
            }
            var byLabels = LabelSetComparer.Instance.Compare(a.Metric, b.Metric);
            return descending ? -byLabels : byLabels;
        });
        return new VectorValue(input);
    }

    private VectorValue LabelReplace(Call call, long t)
    {
        var input = VectorArgument(call, 0, t);
        var destination = StringArgument(call, 1, t);
        var replacement = StringArgument(call, 2, t);
        var source = StringArgument(call, 3, t);
        var pattern = StringArgument(call, 4, t);
        Regex regex;
        try
        {
            regex = new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (ArgumentException e)
        {
            throw new QueryException($"invalid regular expression in label_replace(): {pattern}", e);
        }
        if (!IsValidLabelName(destination))
        {
            throw new QueryException($"invalid destination label name in label_replace(): {destination}");
        }
        var result = new List<Sample>(input.Count);
        foreach (var sample in input)
        {
            var match = regex.Match(sample.Metric.Get(source));
            if (!match.Success)
            {
                result.Add(sample with { TimestampMs = t });
                continue;
            }
            var value = ExpandReplacement(replacement, match, regex);
            var metric = sample.Metric.With(destination, value);
            result.Add(new Sample(metric, t, sample.Value, sample.DropName && destination != LabelNames.MetricName));
        }
        return new VectorValue(result);
    }

    /// <summary>Go's Regexp.Expand: <c>$1</c>, <c>${1}</c>, <c>$name</c>, <c>${name}</c>, <c>$$</c>; unknown groups expand to "".</summary>
    private static string ExpandReplacement(string template, Match match, Regex regex)
    {
        var output = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '$' || i + 1 >= template.Length)
            {
                output.Append(template[i]);
                continue;
            }
            if (template[i + 1] == '$')
            {
                output.Append('$');
                i++;
                continue;
            }
            string name;
            if (template[i + 1] == '{')
            {
                var close = template.IndexOf('}', i + 2);
                if (close < 0)
                {
                    output.Append(template[i]);
                    continue;
                }
                name = template[(i + 2)..close];
                i = close;
            }
            else
            {
                var end = i + 1;
                while (end < template.Length && (char.IsAsciiLetterOrDigit(template[end]) || template[end] == '_'))
                {
                    end++;
                }
                if (end == i + 1)
                {
                    output.Append(template[i]);
                    continue;
                }
                name = template[(i + 1)..end];
                i = end - 1;
            }
            var number = int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : regex.GroupNumberFromName(name);
            if (number >= 0 && number < match.Groups.Count && match.Groups[number].Success)
            {
                output.Append(match.Groups[number].Value);
            }
        }
        return output.ToString();
    }

    private VectorValue LabelJoin(Call call, long t)
    {
        var input = VectorArgument(call, 0, t);
        var destination = StringArgument(call, 1, t);
        var separator = StringArgument(call, 2, t);
        var sources = new string[call.Arguments.Count - 3];
        for (var i = 3; i < call.Arguments.Count; i++)
        {
            sources[i - 3] = StringArgument(call, i, t);
        }
        if (!IsValidLabelName(destination))
        {
            throw new QueryException($"invalid destination label name in label_join(): {destination}");
        }
        var result = new List<Sample>(input.Count);
        var joined = new StringBuilder();
        foreach (var sample in input)
        {
            joined.Clear();
            for (var i = 0; i < sources.Length; i++)
            {
                if (i > 0)
                {
                    joined.Append(separator);
                }
                joined.Append(sample.Metric.Get(sources[i]));
            }
            var metric = sample.Metric.With(destination, joined.ToString());
            result.Add(new Sample(metric, t, sample.Value, sample.DropName && destination != LabelNames.MetricName));
        }
        return new VectorValue(result);
    }

    /// <summary>UTF-8 label names are valid in Prometheus 3 as long as they are non-empty valid UTF-8.</summary>
    private static bool IsValidLabelName(string name) => name.Length > 0 && !name.Contains('\uFFFD', StringComparison.Ordinal);

    /// <summary>The labels absent() / absent_over_time() give: the selector's equality matchers, except __name__ and names matched twice.</summary>
    private static LabelSet AbsentLabels(Expr argument)
    {
        var selector = argument switch
        {
            VectorSelector vector => vector,
            MatrixSelector matrix => matrix.Selector,
            _ => null,
        };
        if (selector is null)
        {
            return LabelSet.Empty;
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var matcher in selector.Matchers)
        {
            if (matcher.Name == LabelNames.MetricName)
            {
                continue;
            }
            if (!labels.TryAdd(matcher.Name, matcher.Type == LabelMatchType.Equal ? matcher.Value : "") || matcher.Type != LabelMatchType.Equal)
            {
                repeated.Add(matcher.Name);
            }
        }
        var result = new List<Label>();
        foreach (var (name, value) in labels)
        {
            if (!repeated.Contains(name))
            {
                result.Add(new Label(name, value));
            }
        }
        return LabelSet.From(result);
    }

    private VectorValue HistogramQuantile(Call call, long t)
    {
        var q = ScalarArgument(call, 0, t);
        if (double.IsNaN(q) || q < 0 || q > 1)
        {
            Warn($"quantile value should be between 0 and 1, got {GoFormat.G(q)}", call.Arguments[0].Position);
        }
        var result = new List<Sample>();
        foreach (var (key, buckets) in ClassicHistograms(call, 1, t))
        {
            var value = Quantile.OfBuckets(q, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buckets), out var forced);
            if (forced)
            {
                Info("input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \"\"",
                    call.Arguments[1].Position);
            }
            result.Add(new Sample(key, t, value));
        }
        return new VectorValue(result);
    }

    /// <summary>
    /// histogram_quantiles(buckets, "label", φ...) (experimental): one histogram_quantile per φ, each result labelled
    /// with its φ ("0.0", "0.25", "1.0").
    /// </summary>
    private VectorValue HistogramQuantiles(Call call, long t)
    {
        var label = StringArgument(call, 1, t);
        var histograms = ClassicHistograms(call, 0, t);
        var result = new List<Sample>();
        for (var argument = 2; argument < call.Arguments.Count; argument++)
        {
            var q = ScalarArgument(call, argument, t);
            if (double.IsNaN(q) || q < 0 || q > 1)
            {
                Warn($"quantile value should be between 0 and 1, got {GoFormat.G(q)}", call.Arguments[argument].Position);
            }
            var text = GoFormat.Shortest(q);
            if (double.IsFinite(q) && !text.Contains('.', StringComparison.Ordinal))
            {
                text += ".0";
            }
            foreach (var (key, buckets) in histograms)
            {
                // Each quantile sorts and merges its own copy; the groups are shared between the φs.
                var copy = buckets.ToArray();
                var value = Quantile.OfBuckets(q, copy, out var forced);
                if (forced)
                {
                    Info("input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \"\"",
                        call.Arguments[0].Position);
                }
                result.Add(new Sample(key.With(label, text), t, value));
            }
        }
        return new VectorValue(result);
    }

    /// <summary>histogram_fraction(lower, upper, buckets) on classic histograms: the estimated share of observations in the interval.</summary>
    private VectorValue HistogramFraction(Call call, long t)
    {
        var lower = ScalarArgument(call, 0, t);
        var upper = ScalarArgument(call, 1, t);
        var result = new List<Sample>();
        foreach (var (key, buckets) in ClassicHistograms(call, 2, t))
        {
            result.Add(new Sample(key, t, Quantile.FractionOfBuckets(lower, upper, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buckets))));
        }
        return new VectorValue(result);
    }

    /// <summary>The argument's bucket series grouped into histograms by their labels without <c>le</c> and the name, in input order.</summary>
    private List<(LabelSet Key, List<Quantile.Bucket> Buckets)> ClassicHistograms(Call call, int argument, long t)
    {
        var input = VectorArgument(call, argument, t);
        var groups = new Dictionary<LabelSet, List<Quantile.Bucket>>();
        var order = new List<LabelSet>();
        foreach (var sample in input)
        {
            var le = sample.Metric.Get("le");
            if (!GoFormat.TryParseFloat(le, out var bound))
            {
                Warn($"bucket label \"le\" is missing or has a malformed value of \"{le}\" for metric name \"{sample.Metric.Get(LabelNames.MetricName)}\"",
                    call.Arguments[argument].Position);
                continue;
            }
            var key = WithoutName(sample.Metric.With("le", ""));
            if (!groups.TryGetValue(key, out var buckets))
            {
                buckets = [];
                groups.Add(key, buckets);
                order.Add(key);
            }
            buckets.Add(new Quantile.Bucket(bound, sample.Value));
        }
        var result = new List<(LabelSet, List<Quantile.Bucket>)>(order.Count);
        foreach (var key in order)
        {
            result.Add((key, groups[key]));
        }
        return result;
    }

    private VectorValue EvaluateRangeFunction(Call call, string name, int matrixIndex, long t)
    {
        var argument = call.Arguments[matrixIndex];
        var matrix = (MatrixValue)Evaluate(argument, t);
        if (name == "absent_over_time")
        {
            return matrix.Series.Count > 0 ? new VectorValue([]) : new VectorValue([new Sample(AbsentLabels(argument), t, 1)]);
        }
        var extended = argument is MatrixSelector { Selector: { Anchored: true } or { Smoothed: true } } extendedSelector ? extendedSelector.Selector : null;
        if (extended is not null)
        {
            CheckExtendedRangeModifier(name, extended.Smoothed);
        }
        var (rangeStart, rangeEnd) = RangeBounds(argument, t);
        double first = 0, second = 0;
        if (name is "quantile_over_time")
        {
            first = ScalarArgument(call, 0, t);
            if (double.IsNaN(first) || first < 0 || first > 1)
            {
                Warn($"quantile value should be between 0 and 1, got {GoFormat.G(first)}", call.Arguments[0].Position);
            }
        }
        else if (name is "predict_linear")
        {
            first = ScalarArgument(call, 1, t);
        }
        else if (name is "double_exponential_smoothing")
        {
            first = ScalarArgument(call, 1, t);
            second = ScalarArgument(call, 2, t);
            if (first <= 0 || first >= 1)
            {
                throw new QueryException($"invalid smoothing factor. Expected: 0 < sf < 1, got: {first.ToString("F6", CultureInfo.InvariantCulture)}");
            }
            if (second <= 0 || second >= 1)
            {
                throw new QueryException($"invalid trend factor. Expected: 0 < tf < 1, got: {second.ToString("F6", CultureInfo.InvariantCulture)}");
            }
        }
        var keepsName = name is "last_over_time" or "first_over_time";
        var result = new List<Sample>(matrix.Series.Count);
        double[]? scratch = null;
        foreach (var series in matrix.Series)
        {
            var points = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(series.Points);
            if (points.Length == 0)
            {
                continue;
            }
            if (name is "rate" or "increase")
            {
                WarnIfNotCounter(series.Metric, argument);
            }
            double value;
            var has = true;
            switch (name)
            {
                case "rate" or "increase" or "delta" when extended is not null:
                    has = RangeFunctions.TryExtendedRate(points, rangeStart, rangeEnd, extended.Smoothed, name != "delta", name == "rate", out value);
                    break;
                case "rate": has = RangeFunctions.TryExtrapolatedRate(points, rangeStart, rangeEnd, true, true, out value); break;
                case "increase": has = RangeFunctions.TryExtrapolatedRate(points, rangeStart, rangeEnd, true, false, out value); break;
                case "delta": has = RangeFunctions.TryExtrapolatedRate(points, rangeStart, rangeEnd, false, false, out value); break;
                case "irate": has = RangeFunctions.TryInstantRate(points, true, out value); break;
                case "idelta": has = RangeFunctions.TryInstantRate(points, false, out value); break;
                case "avg_over_time": value = RangeFunctions.Average(points); break;
                case "sum_over_time": value = RangeFunctions.Sum(points); break;
                case "count_over_time": value = points.Length; break;
                case "present_over_time": value = 1; break;
                case "min_over_time": value = RangeFunctions.Extreme(points, maximum: false); break;
                case "max_over_time": value = RangeFunctions.Extreme(points, maximum: true); break;
                case "ts_of_min_over_time": value = RangeFunctions.TimeOfExtreme(points, maximum: false); break;
                case "ts_of_max_over_time": value = RangeFunctions.TimeOfExtreme(points, maximum: true); break;
                case "last_over_time": value = points[^1].Value; break;
                case "first_over_time": value = points[0].Value; break;
                case "ts_of_last_over_time": value = points[^1].TimestampMs / 1000.0; break;
                case "ts_of_first_over_time": value = points[0].TimestampMs / 1000.0; break;
                case "stdvar_over_time": value = RangeFunctions.Variance(points); break;
                case "stddev_over_time": value = Math.Sqrt(RangeFunctions.Variance(points)); break;
                case "changes": value = RangeFunctions.Changes(points); break;
                case "resets": value = RangeFunctions.Resets(points); break;
                case "deriv": has = RangeFunctions.TryDerivative(points, out value); break;
                case "predict_linear": has = RangeFunctions.TryPredictLinear(points, t, first, out value); break;
                case "double_exponential_smoothing": has = RangeFunctions.TryDoubleExponentialSmoothing(points, first, second, out value); break;
                case "quantile_over_time":
                    scratch = EnsureScratch(scratch, points.Length);
                    value = RangeFunctions.QuantileOverTime(first, points, scratch);
                    break;
                case "mad_over_time":
                    scratch = EnsureScratch(scratch, points.Length);
                    value = RangeFunctions.MedianAbsoluteDeviation(points, scratch);
                    break;
                default:
                    throw new QueryException($"function \"{name}\" is not supported");
            }
            if (has)
            {
                result.Add(new Sample(series.Metric, t, value, DropName: series.DropName || !keepsName));
            }
        }
        return new VectorValue(result);
    }

    /// <summary>The experimental range modifiers only make sense for the functions that look at the window's edges.</summary>
    private static void CheckExtendedRangeModifier(string function, bool smoothed)
    {
        if (smoothed && function is not ("delta" or "increase" or "rate"))
        {
            throw new QueryException($"smoothed modifier can only be used with: delta, increase, rate - not with {function}");
        }
        if (!smoothed && function is not ("changes" or "delta" or "increase" or "rate" or "resets"))
        {
            throw new QueryException($"anchored modifier can only be used with: changes, delta, increase, rate, resets - not with {function}");
        }
    }

    private static double[] EnsureScratch(double[]? scratch, int length) => scratch is not null && scratch.Length >= length ? scratch : new double[length];

    /// <summary>The window a range function's argument covered at <paramref name="t"/>: (end - range, end].</summary>
    private (long Start, long End) RangeBounds(Expr argument, long t)
    {
        switch (argument)
        {
            case MatrixSelector matrix:
                var end = SelectorTime(matrix.Selector, t);
                var range = matrix.RangeExpression is null
                    ? (long)matrix.Range.TotalMilliseconds
                    : SecondsToMs(matrix.RangeExpression.Evaluate(QueryStep, QueryRange));
                return (end - range, end);
            case SubqueryExpr subquery:
                var subqueryEnd = ModifiedTime(subquery.Timestamp, subquery.At, subquery.OriginalOffset, subquery.OffsetExpression, t);
                var subqueryRange = subquery.RangeExpression is null
                    ? (long)subquery.Range.TotalMilliseconds
                    : SecondsToMs(subquery.RangeExpression.Evaluate(QueryStep, QueryRange));
                return (subqueryEnd - subqueryRange, subqueryEnd);
            case ParenExpr paren:
                return RangeBounds(paren.Expression, t);
            default:
                return (t, t);
        }
    }

    private void WarnIfNotCounter(LabelSet metric, Expr argument)
    {
        var name = metric.Get(LabelNames.MetricName);
        if (name.Length == 0 || name.EndsWith("_total", StringComparison.Ordinal) || name.EndsWith("_sum", StringComparison.Ordinal)
            || name.EndsWith("_count", StringComparison.Ordinal) || name.EndsWith("_bucket", StringComparison.Ordinal))
        {
            return;
        }
        Info($"metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"{name}\"", argument.Position);
    }
}
