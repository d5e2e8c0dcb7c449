using Kansoku.Core.Labels;
using Kansoku.PromQL.Parser;

namespace Kansoku.PromQL.Engine;

internal sealed partial class Evaluator
{
    private QueryValue EvaluateBinary(BinaryExpr binary, long t)
    {
        var left = Evaluate(binary.Left, t);
        var right = Evaluate(binary.Right, t);
        var op = binary.Operator;
        switch (left, right)
        {
            case (ScalarValue l, ScalarValue r):
                var (value, keep) = Apply(op, l.Value, r.Value);
                return new ScalarValue(t, op.IsComparison() ? (keep ? 1 : 0) : value);
            case (VectorValue l, ScalarValue r):
                return VectorScalar(binary, l.Samples, r.Value, scalarOnLeft: false, t);
            case (ScalarValue l, VectorValue r):
                return VectorScalar(binary, r.Samples, l.Value, scalarOnLeft: true, t);
            case (VectorValue l, VectorValue r):
                return op switch
                {
                    BinaryOperator.And => SetOperation(binary, l.Samples, r.Samples, keepMatched: true),
                    BinaryOperator.Unless => SetOperation(binary, l.Samples, r.Samples, keepMatched: false),
                    BinaryOperator.Or => Or(binary, l.Samples, r.Samples),
                    _ => VectorVector(binary, l.Samples, r.Samples, t),
                };
            default:
                throw new QueryException($"binary operator {op.Text()} is not defined between these operands");
        }
    }

    /// <summary>The arithmetic result, or for comparisons the left value and whether the comparison holds.</summary>
    private static (double Value, bool Keep) Apply(BinaryOperator op, double left, double right) => op switch
    {
        BinaryOperator.Add => (left + right, true),
        BinaryOperator.Sub => (left - right, true),
        BinaryOperator.Mul => (left * right, true),
        BinaryOperator.Div => (left / right, true),
        BinaryOperator.Pow => (Math.Pow(left, right), true),
        BinaryOperator.Mod => (left % right, true),
        BinaryOperator.Atan2 => (Math.Atan2(left, right), true),
        BinaryOperator.Eql => (left, left == right),
        BinaryOperator.Neq => (left, left != right),
        BinaryOperator.Gtr => (left, left > right),
        BinaryOperator.Lss => (left, left < right),
        BinaryOperator.Gte => (left, left >= right),
        BinaryOperator.Lte => (left, left <= right),
        _ => throw new QueryException($"operator {op.Text()} not allowed here"),
    };

    private static bool DropsName(BinaryExpr binary) => !binary.Operator.IsComparison() || binary.ReturnBool;

    private static VectorValue VectorScalar(BinaryExpr binary, List<Sample> samples, double scalar, bool scalarOnLeft, long t)
    {
        var result = new List<Sample>(samples.Count);
        var comparison = binary.Operator.IsComparison();
        foreach (var sample in samples)
        {
            var (l, r) = scalarOnLeft ? (scalar, sample.Value) : (sample.Value, scalar);
            var (value, keep) = Apply(binary.Operator, l, r);
            if (comparison && !binary.ReturnBool)
            {
                if (keep)
                {
                    // A filter keeps the vector's value, whichever side the scalar is on.
                    result.Add(sample with { TimestampMs = t });
                }
                continue;
            }
            result.Add(new Sample(sample.Metric, t, comparison ? (keep ? 1 : 0) : value, DropName: true));
        }
        return new VectorValue(result);
    }

    /// <summary>The labels two samples are matched on: the <c>on</c> labels, or all but the <c>ignoring</c> ones and the name.</summary>
    private static LabelSet Signature(LabelSet metric, VectorMatching? matching)
    {
        var names = matching?.MatchingLabels ?? [];
        var on = matching?.On ?? false;
        var labels = new List<Label>();
        foreach (var label in metric.AsSpan())
        {
            var listed = Contains(names, label.Name);
            if (on ? listed : !listed && label.Name != LabelNames.MetricName)
            {
                labels.Add(label);
            }
        }
        return LabelSet.From(labels);
    }

    private static VectorValue SetOperation(BinaryExpr binary, List<Sample> left, List<Sample> right, bool keepMatched)
    {
        var signatures = new HashSet<LabelSet>();
        foreach (var sample in right)
        {
            signatures.Add(Signature(sample.Metric, binary.Matching));
        }
        var result = new List<Sample>();
        foreach (var sample in left)
        {
            if (signatures.Contains(Signature(sample.Metric, binary.Matching)) == keepMatched)
            {
                result.Add(sample);
            }
        }
        return new VectorValue(result);
    }

    private static VectorValue Or(BinaryExpr binary, List<Sample> left, List<Sample> right)
    {
        var signatures = new HashSet<LabelSet>();
        var result = new List<Sample>(left.Count + right.Count);
        foreach (var sample in left)
        {
            signatures.Add(Signature(sample.Metric, binary.Matching));
            result.Add(sample);
        }
        foreach (var sample in right)
        {
            if (!signatures.Contains(Signature(sample.Metric, binary.Matching)))
            {
                result.Add(sample);
            }
        }
        return new VectorValue(result);
    }

    private static VectorValue VectorVector(BinaryExpr binary, List<Sample> left, List<Sample> right, long t)
    {
        var matching = binary.Matching;
        var cardinality = matching?.Cardinality ?? VectorMatchCardinality.OneToOne;
        // group_right is group_left with the sides swapped; the operands are swapped back when applying the operator.
        var swapped = cardinality == VectorMatchCardinality.OneToMany;
        var (many, one) = swapped ? (right, left) : (left, right);

        var oneBySignature = new Dictionary<LabelSet, Sample>();
        foreach (var sample in one)
        {
            var signature = Signature(sample.Metric, matching);
            if (!oneBySignature.TryAdd(signature, sample))
            {
                throw new QueryException(
                    $"found duplicate series for the match group {signature} on the {(swapped ? "left" : "right")} hand-side of the operation: " +
                    $"[{oneBySignature[signature].Metric}, {sample.Metric}];many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }
        var result = new List<Sample>();
        var seenMany = new Dictionary<LabelSet, LabelSet>();
        var resultLabels = new HashSet<LabelSet>();
        var comparison = binary.Operator.IsComparison();
        // Experimental fill modifiers stand in for a missing side's sample.
        var fillMissingOne = swapped ? matching?.FillLeft : matching?.FillRight;
        var fillMissingMany = swapped ? matching?.FillRight : matching?.FillLeft;
        var matchedOnes = new HashSet<LabelSet>();
        foreach (var sample in many)
        {
            var signature = Signature(sample.Metric, matching);
            if (!oneBySignature.TryGetValue(signature, out var other))
            {
                if (fillMissingOne is not { } fill)
                {
                    continue;
                }
                other = new Sample(LabelSet.Empty, t, fill);
            }
            else
            {
                matchedOnes.Add(signature);
            }
            if (cardinality == VectorMatchCardinality.OneToOne && !seenMany.TryAdd(signature, sample.Metric))
            {
                throw new QueryException(
                    $"found duplicate series for the match group {signature} on the left hand-side of the operation: " +
                    $"[{seenMany[signature]}, {sample.Metric}];many-to-many matching not allowed: matching labels must be unique on one side");
            }
            var (l, r) = swapped ? (other.Value, sample.Value) : (sample.Value, other.Value);
            var (value, keep) = Apply(binary.Operator, l, r);
            if (comparison && !binary.ReturnBool && !keep)
            {
                continue;
            }
            if (comparison)
            {
                value = binary.ReturnBool ? (keep ? 1 : 0) : sample.Value;
            }
            var metric = ResultLabels(sample.Metric, other.Metric, matching, cardinality);
            var dropName = DropsName(binary) || sample.DropName;
            var key = dropName ? WithoutName(metric) : metric;
            if (!resultLabels.Add(key))
            {
                throw new QueryException("multiple matches for labels: grouping labels must ensure unique matches");
            }
            result.Add(new Sample(metric, t, value, dropName));
        }
        if (fillMissingMany is { } missingMany)
        {
            foreach (var (signature, sample) in oneBySignature)
            {
                if (matchedOnes.Contains(signature))
                {
                    continue;
                }
                var (l, r) = swapped ? (sample.Value, missingMany) : (missingMany, sample.Value);
                var (value, keep) = Apply(binary.Operator, l, r);
                if (comparison && !binary.ReturnBool && !keep)
                {
                    continue;
                }
                if (comparison)
                {
                    value = binary.ReturnBool ? (keep ? 1 : 0) : l;
                }
                var metric = ResultLabels(sample.Metric, LabelSet.Empty, matching, cardinality);
                var dropName = DropsName(binary) || sample.DropName;
                if (!resultLabels.Add(dropName ? WithoutName(metric) : metric))
                {
                    throw new QueryException("multiple matches for labels: grouping labels must ensure unique matches");
                }
                result.Add(new Sample(metric, t, value, dropName));
            }
        }
        return new VectorValue(result);
    }

    private static LabelSet ResultLabels(LabelSet many, LabelSet one, VectorMatching? matching, VectorMatchCardinality cardinality)
    {
        if (matching is null)
        {
            return many;
        }
        var labels = new List<Label>();
        foreach (var label in many.AsSpan())
        {
            var listed = Contains(matching.MatchingLabels, label.Name);
            var kept = cardinality != VectorMatchCardinality.OneToOne || label.Name == LabelNames.MetricName || (matching.On ? listed : !listed);
            if (kept)
            {
                labels.Add(label);
            }
        }
        var result = LabelSet.From(labels);
        foreach (var name in matching.Include)
        {
            result = result.With(name, one.Get(name));
        }
        return result;
    }
}
