namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// <c>| unwrap [conv(]label[)]</c> in a range aggregation, with the label filters that follow it (typically
/// <c>| __error__=""</c>), which apply after the conversion.
/// </summary>
internal sealed class UnwrapExpr(SourceSpan span, string label, UnwrapConversion conversion, IReadOnlyList<LabelFilter> postFilters)
    : Node(span)
{
    public string Label { get; } = label;

    public UnwrapConversion Conversion { get; } = conversion;

    public IReadOnlyList<LabelFilter> PostFilters { get; } = postFilters;
}
