using System.Numerics;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// A numeric, duration or bytes comparison. An absent label fails the filter; a value that does not convert keeps
/// the entry and sets <c>__error__="LabelFilterErr"</c> (unless an earlier stage already set an error), as in Loki.
/// </summary>
internal abstract class ConvertingLabelPredicate(string name, LabelComparison comparison) : LabelPredicate
{
    protected LabelComparison Comparison { get; } = comparison;

    public override bool Test(LabelsBuilder labels)
    {
        if (!labels.TryGet(name, out var value))
        {
            return false;
        }
        if (!TryTest(value, out var matches, out var error))
        {
            if (!labels.HasError)
            {
                labels.SetError(LokiLabels.LabelFilterError, error);
            }
            return true;
        }
        return matches;
    }

    public override void AddRequiredLabels(List<string> names) => names.Add(name);

    /// <summary>Converts the label value and compares it with the operand; false when it does not convert.</summary>
    protected abstract bool TryTest(string value, out bool matches, out string? error);

    /// <summary>The comparison with IEEE semantics for doubles (NaN only satisfies <c>!=</c>), as Go's operators.</summary>
    protected bool Holds<T>(T left, T right) where T : INumber<T> => Comparison switch
    {
        LabelComparison.Equal => left == right,
        LabelComparison.NotEqual => left != right,
        LabelComparison.Greater => left > right,
        LabelComparison.GreaterOrEqual => left >= right,
        LabelComparison.Less => left < right,
        _ => left <= right,
    };
}
