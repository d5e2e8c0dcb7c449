using Kansoku.Core.Labels;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// Two vectors (Loki's BinOpStepEvaluator): samples pair up by their labels, or by the <c>on</c>/<c>ignoring</c>
/// labels, one-to-one unless <c>group_left</c>/<c>group_right</c> says which side has many; <c>and</c>, <c>or</c>,
/// <c>unless</c> filter by the same signatures.
/// </summary>
internal sealed class VectorBinaryEvaluator : StepEvaluator
{
    private readonly BinaryOpExpr _expression;
    private readonly StepEvaluator _left;
    private readonly StepEvaluator _right;
    private readonly VectorMatching _matching;
    private readonly LabelGrouping _signature;
    private readonly Dictionary<(LabelList Left, LabelList Right), LabelList> _resultLabels = [];
    private readonly List<StepSample> _vector = [];

    public VectorBinaryEvaluator(BinaryOpExpr expression, StepEvaluator left, StepEvaluator right)
    {
        _expression = expression;
        _left = left;
        _right = right;
        _matching = expression.Matching ?? new VectorMatching(false, [], VectorMatchCardinality.OneToOne, []);
        _signature = new LabelGrouping(_matching.Labels, without: !_matching.On);
    }

    public override bool Next(out long timestampMs, out List<StepSample> vector)
    {
        vector = _vector;
        _vector.Clear();
        if (!_right.Next(out _, out var rhs) || !_left.Next(out timestampMs, out var lhs))
        {
            timestampMs = 0;
            return false;
        }
        switch (_expression.Operator)
        {
            case BinaryOperator.And:
                if (lhs.Count > 0 && rhs.Count > 0)
                {
                    var right = Signatures(rhs);
                    foreach (var sample in lhs)
                    {
                        if (right.Contains(_signature.Apply(sample.Labels)))
                        {
                            _vector.Add(sample);
                        }
                    }
                }
                break;
            case BinaryOperator.Or:
                _vector.AddRange(lhs);
                var left = Signatures(lhs);
                foreach (var sample in rhs)
                {
                    if (lhs.Count == 0 || !left.Contains(_signature.Apply(sample.Labels)))
                    {
                        _vector.Add(sample);
                    }
                }
                break;
            case BinaryOperator.Unless:
                var excluded = rhs.Count > 0 && lhs.Count > 0 ? Signatures(rhs) : [];
                foreach (var sample in lhs)
                {
                    if (!excluded.Contains(_signature.Apply(sample.Labels)))
                    {
                        _vector.Add(sample);
                    }
                }
                break;
            default:
                Combine(lhs, rhs);
                break;
        }
        return true;
    }

    public override void Dispose()
    {
        _left.Dispose();
        _right.Dispose();
    }

    private HashSet<LabelList> Signatures(List<StepSample> samples)
    {
        var signatures = new HashSet<LabelList>();
        foreach (var sample in samples)
        {
            signatures.Add(_signature.Apply(sample.Labels));
        }
        return signatures;
    }

    private void Combine(List<StepSample> lhs, List<StepSample> rhs)
    {
        var oneToMany = _matching.Cardinality == VectorMatchCardinality.OneToMany;
        var (many, one) = oneToMany ? (rhs, lhs) : (lhs, rhs);
        var ones = new Dictionary<LabelList, StepSample>();
        foreach (var sample in one)
        {
            if (!ones.TryAdd(_signature.Apply(sample.Labels), sample))
            {
                throw new LogQLEvaluationException(
                    $"found duplicate series on the {(oneToMany ? "left" : "right")} hand-side;many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }
        var matched = new Dictionary<LabelList, HashSet<LabelList>?>();
        var op = _expression.Operator;
        var comparison = BinaryMath.IsComparison(op);
        foreach (var sample in many)
        {
            var signature = _signature.Apply(sample.Labels);
            if (!ones.TryGetValue(signature, out var other))
            {
                continue;
            }
            var labels = ResultLabels(sample.Labels, other.Labels);
            if (_matching.Cardinality == VectorMatchCardinality.OneToOne)
            {
                if (!matched.TryAdd(signature, null))
                {
                    throw new LogQLEvaluationException(
                        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                }
            }
            else
            {
                if (!matched.TryGetValue(signature, out var results))
                {
                    results = [];
                    matched[signature] = results;
                }
                if (!results!.Add(labels))
                {
                    throw new LogQLEvaluationException("multiple matches for labels: grouping labels must ensure unique matches");
                }
            }
            var (left, right) = oneToMany ? (other.Value, sample.Value) : (sample.Value, other.Value);
            if (!comparison)
            {
                _vector.Add(new StepSample(labels, BinaryMath.Apply(op, left, right)));
                continue;
            }
            var holds = BinaryMath.Compare(op, left, right);
            if (_expression.ReturnBool)
            {
                _vector.Add(new StepSample(labels, holds ? 1 : 0));
            }
            else if (holds)
            {
                _vector.Add(new StepSample(labels, left));
            }
        }
    }

    /// <summary>
    /// Loki's resultMetric: the "many" side's labels; one-to-one keeps only the <c>on</c> labels or drops the
    /// <c>ignoring</c> ones; <c>group_x (labels)</c> copies those labels from the "one" side.
    /// </summary>
    private LabelList ResultLabels(LabelList many, LabelList one)
    {
        if (_resultLabels.TryGetValue((many, one), out var cached))
        {
            return cached;
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in many.AsSpan())
        {
            labels[label.Name] = label.Value;
        }
        if (_matching.Cardinality == VectorMatchCardinality.OneToOne)
        {
            foreach (var label in many.AsSpan())
            {
                if (_matching.Labels.Contains(label.Name) != _matching.On)
                {
                    labels.Remove(label.Name);
                }
            }
        }
        foreach (var name in _matching.Include)
        {
            var value = one.Get(name);
            if (value.Length > 0)
            {
                labels[name] = value;
            }
            else
            {
                labels.Remove(name);
            }
        }
        var list = new List<Label>(labels.Count);
        foreach (var (name, value) in labels)
        {
            list.Add(new Label(name, value));
        }
        var result = LabelList.From(list);
        _resultLabels[(many, one)] = result;
        return result;
    }
}
