namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>left and right</c> / <c>left or right</c>.</summary>
internal sealed class BinaryLabelFilter(SourceSpan span, LabelFilterOperator op, LabelFilter left, LabelFilter right) : LabelFilter(span)
{
    public LabelFilterOperator Operator { get; } = op;

    public LabelFilter Left { get; } = left;

    public LabelFilter Right { get; } = right;
}
