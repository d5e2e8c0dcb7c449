using System.Runtime.InteropServices;
using Kansoku.Core.Labels;
using Kansoku.PromQL.Parser;

namespace Kansoku.PromQL.Engine;

internal sealed partial class Evaluator
{
    private VectorValue EvaluateAggregate(AggregateExpr aggregate, long t)
    {
        double parameter = 0;
        string? valueLabel = null;
        if (aggregate.Parameter is not null)
        {
            var evaluated = Evaluate(aggregate.Parameter, t);
            if (evaluated is StringValue text)
            {
                valueLabel = text.Value;
            }
            else
            {
                parameter = ((ScalarValue)evaluated).Value;
            }
        }
        var input = ((VectorValue)Evaluate(aggregate.Expression, t)).Samples;
        var op = aggregate.Operator;
        if (op is Aggregation.Topk or Aggregation.Bottomk)
        {
            if (double.IsNaN(parameter))
            {
                throw new QueryException("Parameter value is NaN");
            }
            return TopK(aggregate, input, parameter, t);
        }
        if (op == Aggregation.Quantile && (double.IsNaN(parameter) || parameter < 0 || parameter > 1))
        {
            Warn($"quantile value should be between 0 and 1, got {GoFormat.G(parameter)}", aggregate.Parameter!.Position);
        }
        if (op == Aggregation.CountValues && !IsValidLabelName(valueLabel ?? ""))
        {
            throw new QueryException($"invalid label name \"{valueLabel}\"");
        }

        // Groups are keyed by the labels before delayed name removal, as in Prometheus: a group drops its name when
        // any member is marked to.
        var groups = new Dictionary<LabelSet, List<FloatPoint>>();
        var dropsName = new HashSet<LabelSet>();
        var order = new List<LabelSet>();
        foreach (var sample in input)
        {
            var key = GroupKey(sample.Metric, aggregate);
            if (op == Aggregation.CountValues)
            {
                key = key.With(valueLabel!, GoFormat.Shortest(sample.Value));
            }
            if (!groups.TryGetValue(key, out var values))
            {
                values = [];
                groups.Add(key, values);
                order.Add(key);
            }
            values.Add(new FloatPoint(t, sample.Value));
            if (sample.DropName)
            {
                dropsName.Add(key);
            }
        }
        var result = new List<Sample>(groups.Count);
        double[]? scratch = null;
        foreach (var key in order)
        {
            var values = CollectionsMarshal.AsSpan(groups[key]);
            double value;
            switch (op)
            {
                case Aggregation.Sum: value = RangeFunctions.Sum(values); break;
                case Aggregation.Avg: value = RangeFunctions.Average(values); break;
                case Aggregation.Count or Aggregation.CountValues: value = values.Length; break;
                case Aggregation.Group: value = 1; break;
                case Aggregation.Min: value = RangeFunctions.Extreme(values, maximum: false); break;
                case Aggregation.Max: value = RangeFunctions.Extreme(values, maximum: true); break;
                case Aggregation.Stdvar: value = RangeFunctions.Variance(values); break;
                case Aggregation.Stddev: value = Math.Sqrt(RangeFunctions.Variance(values)); break;
                case Aggregation.Quantile:
                    scratch = EnsureScratch(scratch, values.Length);
                    value = RangeFunctions.QuantileOverTime(parameter, values, scratch);
                    break;
                default:
                    throw new QueryException($"aggregation {op.Name()} is not supported");
            }
            result.Add(new Sample(key, t, value, dropsName.Contains(key)));
        }
        return new VectorValue(result);
    }

    /// <summary>The labels a sample is grouped by: only the <c>by</c> labels, or all but the <c>without</c> ones and the name.</summary>
    private static LabelSet GroupKey(LabelSet metric, AggregateExpr aggregate)
    {
        var labels = new List<Label>();
        foreach (var label in metric.AsSpan())
        {
            var listed = Contains(aggregate.Grouping, label.Name);
            if (aggregate.Without ? !listed && label.Name != LabelNames.MetricName : listed)
            {
                labels.Add(label);
            }
        }
        return labels.Count == metric.Count ? metric : LabelSet.From(labels);
    }

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        foreach (var candidate in names)
        {
            if (candidate == name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>topk / bottomk: the k largest (smallest) samples of each group, kept whole, best first, NaN last.</summary>
    private static VectorValue TopK(AggregateExpr aggregate, List<Sample> input, double parameter, long t)
    {
        var k = parameter >= long.MaxValue ? long.MaxValue : (long)parameter;
        if (k < 1)
        {
            return new VectorValue([]);
        }
        var top = aggregate.Operator == Aggregation.Topk;
        var groups = new Dictionary<LabelSet, List<Sample>>();
        var order = new List<LabelSet>();
        foreach (var sample in input)
        {
            var key = GroupKey(sample.Metric, aggregate);
            if (!groups.TryGetValue(key, out var members))
            {
                members = [];
                groups.Add(key, members);
                order.Add(key);
            }
            members.Add(sample);
        }
        var result = new List<Sample>();
        foreach (var key in order)
        {
            var members = groups[key];
            members.Sort((a, b) =>
            {
                if (double.IsNaN(a.Value) || double.IsNaN(b.Value))
                {
                    return double.IsNaN(a.Value).CompareTo(double.IsNaN(b.Value));
                }
                return top ? b.Value.CompareTo(a.Value) : a.Value.CompareTo(b.Value);
            });
            var count = (int)Math.Min(k, members.Count);
            for (var i = 0; i < count; i++)
            {
                result.Add(members[i] with { TimestampMs = t });
            }
        }
        return new VectorValue(result);
    }
}
