using Kansoku.LogQL.Engine.Go;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary><c>latency &gt; 250ms</c>: the value is read with Go's time.ParseDuration (no d, w or y units).</summary>
internal sealed class DurationLabelPredicate(string name, LabelComparison comparison, TimeSpan operand)
    : ConvertingLabelPredicate(name, comparison)
{
    private readonly long _operandNanoseconds = operand.Ticks * 100;

    protected override bool TryTest(string value, out bool matches, out string? error)
    {
        matches = GoDurations.TryParse(value, out var nanoseconds, out error) && Holds(nanoseconds, _operandNanoseconds);
        return error is null;
    }
}
