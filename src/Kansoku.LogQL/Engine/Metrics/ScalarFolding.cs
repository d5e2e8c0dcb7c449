using System.Globalization;
using Kansoku.LogQL.Parser;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// Computes expressions made only of numbers (<c>2 * 3</c>), which Loki folds while parsing: comparisons of two numbers
/// give 0 or 1, and set operators on a number are errors.
/// </summary>
internal static class ScalarFolding
{
    public static bool TryFold(SampleExpr expression, string query, out double value)
    {
        switch (expression)
        {
            case LiteralExpr literal:
                value = literal.Value;
                return true;
            case BinaryOpExpr binary:
                var leftIsScalar = TryFold(binary.Left, query, out var left);
                var rightIsScalar = TryFold(binary.Right, query, out var right);
                if (BinaryMath.IsSetOperator(binary.Operator) && (leftIsScalar || rightIsScalar))
                {
                    var side = leftIsScalar ? "left" : "right";
                    var number = leftIsScalar ? left : right;
                    throw LogQLParseException.At(query, binary.Span.Start, string.Create(CultureInfo.InvariantCulture,
                        $"unexpected literal for {side} leg of logical/set binary operation ({Operator(binary.Operator)}): {number:F6}"));
                }
                if (leftIsScalar && rightIsScalar)
                {
                    value = BinaryMath.Apply(binary.Operator, left, right);
                    return true;
                }
                value = 0;
                return false;
            default:
                value = 0;
                return false;
        }
    }

    private static string Operator(BinaryOperator op) => op switch
    {
        BinaryOperator.And => "and",
        BinaryOperator.Or => "or",
        _ => "unless",
    };
}
