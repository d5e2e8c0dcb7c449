using Kansoku.LogQL.Engine.Go;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary><c>size &gt; 10KB</c>: the value is read with go-humanize's ParseBytes.</summary>
internal sealed class BytesLabelPredicate(string name, LabelComparison comparison, ulong operand)
    : ConvertingLabelPredicate(name, comparison)
{
    protected override bool TryTest(string value, out bool matches, out string? error)
    {
        matches = GoBytes.TryParse(value, out var bytes, out error) && Holds(bytes, operand);
        return error is null;
    }
}
