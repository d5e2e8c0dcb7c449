namespace Kansoku.PromQL.Parser;

/// <summary>Text, precedence and kind of each <see cref="BinaryOperator"/>, as Prometheus' ItemType methods.</summary>
internal static class BinaryOperators
{
    public static string Text(this BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Sub => "-",
        BinaryOperator.Mul => "*",
        BinaryOperator.Div => "/",
        BinaryOperator.Mod => "%",
        BinaryOperator.Pow => "^",
        BinaryOperator.Atan2 => "atan2",
        BinaryOperator.Eql => "==",
        BinaryOperator.Neq => "!=",
        BinaryOperator.Lss => "<",
        BinaryOperator.Gtr => ">",
        BinaryOperator.Lte => "<=",
        BinaryOperator.Gte => ">=",
        BinaryOperator.And => "and",
        BinaryOperator.Or => "or",
        BinaryOperator.Unless => "unless",
        BinaryOperator.TrimUpper => "</",
        _ => ">/",
    };

    /// <summary>Binding strength, 1 (<c>or</c>) to 6 (<c>^</c>).</summary>
    public static int Precedence(this BinaryOperator op) => op switch
    {
        BinaryOperator.Or => 1,
        BinaryOperator.And or BinaryOperator.Unless => 2,
        BinaryOperator.Eql or BinaryOperator.Neq or BinaryOperator.Lss or BinaryOperator.Gtr or BinaryOperator.Lte
            or BinaryOperator.Gte or BinaryOperator.TrimUpper or BinaryOperator.TrimLower => 3,
        BinaryOperator.Add or BinaryOperator.Sub => 4,
        BinaryOperator.Mul or BinaryOperator.Div or BinaryOperator.Mod or BinaryOperator.Atan2 => 5,
        _ => 6,
    };

    /// <summary>Only <c>^</c> groups to the right: <c>2 ^ 3 ^ 2</c> is <c>2 ^ (3 ^ 2)</c>.</summary>
    public static bool IsRightAssociative(this BinaryOperator op) => op == BinaryOperator.Pow;

    public static bool IsComparison(this BinaryOperator op) =>
        op is BinaryOperator.Eql or BinaryOperator.Neq or BinaryOperator.Lss or BinaryOperator.Gtr
            or BinaryOperator.Lte or BinaryOperator.Gte;

    public static bool IsSetOperator(this BinaryOperator op) =>
        op is BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Unless;
}
