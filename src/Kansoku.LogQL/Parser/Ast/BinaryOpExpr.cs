namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// <c>left op [bool] [on|ignoring (...) [group_left|group_right (...)]] right</c>. Unlike Loki, two literal sides are not
/// folded into one literal at parse time: the evaluator computes them (comparisons of two scalars give 0 or 1).
/// </summary>
internal sealed class BinaryOpExpr(
    SourceSpan span, BinaryOperator op, SampleExpr left, SampleExpr right, bool returnBool, VectorMatching? matching)
    : SampleExpr(span)
{
    public BinaryOperator Operator { get; } = op;

    public SampleExpr Left { get; } = left;

    public SampleExpr Right { get; } = right;

    /// <summary>The <c>bool</c> modifier of a comparison: return 0/1 instead of filtering.</summary>
    public bool ReturnBool { get; } = returnBool;

    /// <summary>Null when neither <c>on</c> nor <c>ignoring</c> was written.</summary>
    public VectorMatching? Matching { get; } = matching;
}
