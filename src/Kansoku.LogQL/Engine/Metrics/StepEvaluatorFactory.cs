using Kansoku.LogQL.Parser;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// Builds the step evaluators of a metric expression. Like Loki, a <c>sum</c> directly over a count, rate, bytes or
/// sum_over_time without its own grouping pushes its grouping into the sample extractor, which changes what the
/// parsers must extract (and so which malformed lines are errors).
/// </summary>
internal sealed class StepEvaluatorFactory(QueryContext context, string query, StepRange steps)
{
    public StepEvaluator Create(SampleExpr expression)
    {
        switch (expression)
        {
            case RangeAggregationExpr range:
                return new RangeVectorEvaluator(range, range.Grouping, steps, context);
            case VectorAggregationExpr { Inner: RangeAggregationExpr { Grouping: null } range } aggregation
                when aggregation.Operation == VectorOperation.Sum && CanPushDown(range.Operation):
                return new VectorAggregationEvaluator(aggregation,
                    new RangeVectorEvaluator(range, aggregation.Grouping ?? new Grouping(false, []), steps, context));
            case VectorAggregationExpr { Operation: VectorOperation.ApproxTopK } when !steps.IsInstant:
                throw new LogQLEvaluationException("count min sketches are only supported on instant queries");
            case VectorAggregationExpr aggregation:
                return new VectorAggregationEvaluator(aggregation, CreateVector(aggregation.Inner));
            case BinaryOpExpr binary:
                var leftIsScalar = ScalarFolding.TryFold(binary.Left, query, out var left);
                var rightIsScalar = ScalarFolding.TryFold(binary.Right, query, out var right);
                if (leftIsScalar)
                {
                    return new LiteralBinaryEvaluator(binary, left, literalOnLeft: true, CreateVector(binary.Right));
                }
                if (rightIsScalar)
                {
                    return new LiteralBinaryEvaluator(binary, right, literalOnLeft: false, CreateVector(binary.Left));
                }
                var leftEvaluator = Create(binary.Left);
                try
                {
                    return new VectorBinaryEvaluator(binary, leftEvaluator, Create(binary.Right));
                }
                catch
                {
                    leftEvaluator.Dispose();
                    throw;
                }
            case LabelReplaceExpr replace:
                var regex = GoRegex.Compile(replace.Regex, anchored: true);
                return new LabelReplaceEvaluator(CreateVector(replace.Inner), regex, replace.Destination, replace.Replacement, replace.Source);
            case VectorExpr vector:
                return new ConstantVectorEvaluator(vector.Value, steps);
            default:
                throw new LogQLEvaluationException($"unexpected expr type ({expression.GetType().Name}) for Evaluator type");
        }
    }

    /// <summary>An operand that must be a vector: a bare number there is an error, as in Loki.</summary>
    private StepEvaluator CreateVector(SampleExpr expression)
    {
        if (ScalarFolding.TryFold(expression, query, out _))
        {
            throw new LogQLEvaluationException($"unexpected literal {expression} where a vector is expected");
        }
        return Create(expression);
    }

    private static bool CanPushDown(RangeOperation operation) =>
        operation is RangeOperation.BytesOverTime or RangeOperation.BytesRate or RangeOperation.SumOverTime
            or RangeOperation.Rate or RangeOperation.CountOverTime;
}
