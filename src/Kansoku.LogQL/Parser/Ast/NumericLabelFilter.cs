namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>status &gt;= 500</c>: the label value is parsed as a float (failure sets <c>__error__</c>).</summary>
internal sealed class NumericLabelFilter(SourceSpan span, string name, LabelComparison comparison, double value) : LabelFilter(span)
{
    public string Name { get; } = name;

    public LabelComparison Comparison { get; } = comparison;

    public double Value { get; } = value;
}
