namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// A line filter stage: keeps the line when any operand matches (<c>|=</c>, <c>|~</c>, <c>|&gt;</c>), or when none does
/// (<c>!=</c>, <c>!~</c>, <c>!&gt;</c>: Loki reads <c>!= "a" or "b"</c> as <c>!= "a" != "b"</c>).
/// </summary>
internal sealed class LineFilterer(LineMatcher[] matchers, bool negative) : Stage
{
    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        foreach (var matcher in matchers)
        {
            if (matcher.Matches(line))
            {
                return !negative;
            }
        }
        return negative;
    }
}
