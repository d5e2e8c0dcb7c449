namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// <c>addr=ip("10.0.0.0/8")</c> or <c>addr!=ip(...)</c>: <see cref="Pattern"/> is an address, a CIDR or a range
/// <c>a-b</c>; <see cref="Comparison"/> is Equal or NotEqual.
/// </summary>
internal sealed class IpLabelFilter(SourceSpan span, string name, LabelComparison comparison, string pattern) : LabelFilter(span)
{
    public string Name { get; } = name;

    public LabelComparison Comparison { get; } = comparison;

    public string Pattern { get; } = pattern;
}
