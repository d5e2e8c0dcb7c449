using Kansoku.LogQL.Engine.Go;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary><c>status &gt;= 500</c>: the value is read with Go's ParseFloat.</summary>
internal sealed class NumericLabelPredicate(string name, LabelComparison comparison, double operand)
    : ConvertingLabelPredicate(name, comparison)
{
    protected override bool TryTest(string value, out bool matches, out string? error)
    {
        matches = GoFloats.TryParse(value, out var number, out error) && Holds(number, operand);
        return error is null;
    }
}
