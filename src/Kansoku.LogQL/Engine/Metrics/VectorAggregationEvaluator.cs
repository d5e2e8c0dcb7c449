using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// <c>sum</c>, <c>avg</c>, <c>min</c>, <c>max</c>, <c>count</c>, <c>stddev</c>, <c>stdvar</c>, <c>topk</c>, <c>bottomk</c>,
/// <c>sort</c>, <c>sort_desc</c> by/without labels (Loki's VectorAggEvaluator). <c>topk</c>, <c>bottomk</c> and the sorts
/// keep each sample's own labels; the others give one series per group. <c>approx_topk</c> is evaluated exactly.
/// </summary>
internal sealed class VectorAggregationEvaluator : StepEvaluator
{
    private readonly StepEvaluator _inner;
    private readonly VectorOperation _operation;
    private readonly int _k;
    private readonly LabelGrouping _grouping;
    private readonly Dictionary<LabelList, Group> _groups = [];
    private readonly List<Group> _order = [];
    private readonly List<StepSample> _vector = [];

    public VectorAggregationEvaluator(VectorAggregationExpr expression, StepEvaluator inner)
    {
        _inner = inner;
        _operation = expression.Operation == VectorOperation.ApproxTopK ? VectorOperation.TopK : expression.Operation;
        _k = expression.Parameter ?? 0;
        var grouping = expression.Grouping ?? new Grouping(false, []);
        _grouping = new LabelGrouping(grouping.Labels, grouping.Without);
    }

    public override bool Next(out long timestampMs, out List<StepSample> vector)
    {
        vector = _vector;
        _vector.Clear();
        if (!_inner.Next(out timestampMs, out var input))
        {
            return false;
        }
        if (_operation is VectorOperation.TopK or VectorOperation.BottomK && _k < 1)
        {
            return true;
        }
        _groups.Clear();
        _order.Clear();
        foreach (var sample in input)
        {
            var key = _grouping.Apply(sample.Labels);
            if (!_groups.TryGetValue(key, out var group))
            {
                group = new Group(key, sample.Value);
                _groups.Add(key, group);
                _order.Add(group);
                if (_operation is VectorOperation.Stddev or VectorOperation.Stdvar)
                {
                    group.Value = 0;
                }
                if (KeepsSamples)
                {
                    group.Samples = [sample];
                }
                continue;
            }
            Accumulate(group, sample);
        }
        foreach (var group in _order)
        {
            Emit(group);
        }
        return true;
    }

    public override void Dispose() => _inner.Dispose();

    private bool KeepsSamples => _operation is VectorOperation.TopK or VectorOperation.BottomK or VectorOperation.Sort or VectorOperation.SortDesc;

    private void Accumulate(Group group, StepSample sample)
    {
        var value = sample.Value;
        switch (_operation)
        {
            case VectorOperation.Sum:
                group.Value += value;
                break;
            case VectorOperation.Avg:
                group.Count++;
                if (double.IsInfinity(group.Mean))
                {
                    if (double.IsInfinity(value) && (group.Mean > 0) == (value > 0))
                    {
                        break;
                    }
                    if (!double.IsInfinity(value) && !double.IsNaN(value))
                    {
                        break;
                    }
                }
                group.Mean += (value - group.Mean) / group.Count;
                break;
            case VectorOperation.Max:
                if (group.Value < value || double.IsNaN(group.Value))
                {
                    group.Value = value;
                }
                break;
            case VectorOperation.Min:
                if (group.Value > value || double.IsNaN(group.Value))
                {
                    group.Value = value;
                }
                break;
            case VectorOperation.Count:
                group.Count++;
                break;
            case VectorOperation.Stddev or VectorOperation.Stdvar:
                group.Count++;
                var delta = value - group.Mean;
                group.Mean += delta / group.Count;
                group.Value += delta * (value - group.Mean);
                break;
            default:
                group.Samples!.Add(sample);
                break;
        }
    }

    private void Emit(Group group)
    {
        switch (_operation)
        {
            case VectorOperation.Avg:
                _vector.Add(new StepSample(group.Labels, group.Mean));
                return;
            case VectorOperation.Count:
                _vector.Add(new StepSample(group.Labels, group.Count));
                return;
            case VectorOperation.Stddev:
                _vector.Add(new StepSample(group.Labels, Math.Sqrt(group.Value / group.Count)));
                return;
            case VectorOperation.Stdvar:
                _vector.Add(new StepSample(group.Labels, group.Value / group.Count));
                return;
            case VectorOperation.TopK or VectorOperation.SortDesc:
                EmitSorted(group.Samples!, descending: true, _operation == VectorOperation.TopK ? _k : int.MaxValue);
                return;
            case VectorOperation.BottomK or VectorOperation.Sort:
                EmitSorted(group.Samples!, descending: false, _operation == VectorOperation.BottomK ? _k : int.MaxValue);
                return;
            default:
                _vector.Add(new StepSample(group.Labels, group.Value));
                return;
        }
    }

    /// <summary>
    /// Loki's heaps keep the k largest (or smallest) values, the earliest sample winning ties and NaN going first; the
    /// output is in value order with NaN last.
    /// </summary>
    private void EmitSorted(List<StepSample> samples, bool descending, int limit)
    {
        var ordered = new StepSample[samples.Count];
        samples.CopyTo(ordered);
        var indexes = new int[ordered.Length];
        for (var i = 0; i < indexes.Length; i++)
        {
            indexes[i] = i;
        }
        Array.Sort(indexes, (a, b) =>
        {
            var x = ordered[a].Value;
            var y = ordered[b].Value;
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                return double.IsNaN(x) == double.IsNaN(y) ? a.CompareTo(b) : double.IsNaN(x) ? 1 : -1;
            }
            var byValue = descending ? y.CompareTo(x) : x.CompareTo(y);
            return byValue != 0 ? byValue : a.CompareTo(b);
        });
        for (var i = 0; i < indexes.Length && i < limit; i++)
        {
            _vector.Add(ordered[indexes[i]]);
        }
    }

    private sealed class Group(LabelList labels, double first)
    {
        public LabelList Labels { get; } = labels;

        public double Value { get; set; } = first;

        public double Mean { get; set; } = first;

        public int Count { get; set; } = 1;

        public List<StepSample>? Samples { get; set; }
    }
}
