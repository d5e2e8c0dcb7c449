using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// A vector and a number (<c>rate(...) * 60</c>, <c>2 &lt; count_over_time(...)</c>): every sample keeps its labels;
/// a comparison keeps the vector's value (or gives 0/1 with <c>bool</c>), whichever side the number is on.
/// </summary>
internal sealed class LiteralBinaryEvaluator(BinaryOpExpr expression, double literal, bool literalOnLeft, StepEvaluator inner)
    : StepEvaluator
{
    private readonly List<StepSample> _vector = [];

    public override bool Next(out long timestampMs, out List<StepSample> vector)
    {
        vector = _vector;
        _vector.Clear();
        if (!inner.Next(out timestampMs, out var input))
        {
            return false;
        }
        var op = expression.Operator;
        var comparison = BinaryMath.IsComparison(op);
        foreach (var sample in input)
        {
            var left = literalOnLeft ? literal : sample.Value;
            var right = literalOnLeft ? sample.Value : literal;
            if (!comparison)
            {
                _vector.Add(sample with { Value = BinaryMath.Apply(op, left, right) });
                continue;
            }
            var holds = BinaryMath.Compare(op, left, right);
            if (expression.ReturnBool)
            {
                _vector.Add(sample with { Value = holds ? 1 : 0 });
            }
            else if (holds)
            {
                _vector.Add(sample);
            }
        }
        return true;
    }

    public override void Dispose() => inner.Dispose();
}
