namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>size &gt; 10KB</c>: the label value is parsed as a byte size (KB = 1000, KiB = 1024).</summary>
internal sealed class BytesLabelFilter(SourceSpan span, string name, LabelComparison comparison, ulong value) : LabelFilter(span)
{
    public string Name { get; } = name;

    public LabelComparison Comparison { get; } = comparison;

    public ulong Value { get; } = value;
}
