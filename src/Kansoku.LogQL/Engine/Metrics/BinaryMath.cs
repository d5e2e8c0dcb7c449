using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>Loki's arithmetic and comparisons on sample values (division and modulo by zero give NaN, unlike Prometheus).</summary>
internal static class BinaryMath
{
    public static bool IsComparison(BinaryOperator op) =>
        op is BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual
            or BinaryOperator.Less or BinaryOperator.LessOrEqual;

    public static bool IsSetOperator(BinaryOperator op) => op is BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Unless;

    /// <summary>The arithmetic result, or 1/0 for a comparison.</summary>
    public static double Apply(BinaryOperator op, double left, double right) => op switch
    {
        BinaryOperator.Add => left + right,
        BinaryOperator.Subtract => left - right,
        BinaryOperator.Multiply => left * right,
        BinaryOperator.Divide => right == 0 ? double.NaN : left / right,
        // Go's math.Mod: the remainder has the dividend's sign, as C#'s % on doubles.
        BinaryOperator.Modulo => right == 0 ? double.NaN : left % right,
        BinaryOperator.Power => Math.Pow(left, right),
        _ => Compare(op, left, right) ? 1 : 0,
    };

    public static bool Compare(BinaryOperator op, double left, double right) => op switch
    {
        BinaryOperator.Equal => left == right,
        BinaryOperator.NotEqual => left != right,
        BinaryOperator.Greater => left > right,
        BinaryOperator.GreaterOrEqual => left >= right,
        BinaryOperator.Less => left < right,
        BinaryOperator.LessOrEqual => left <= right,
        _ => false,
    };
}
