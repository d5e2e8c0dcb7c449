namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary><c>|= ip("10.0.0.0/8")</c>: some address in the line falls in the pattern.</summary>
internal sealed class IpLineMatcher(IpPattern pattern) : LineMatcher
{
    public override bool Matches(ReadOnlySpan<byte> line) => pattern.Filter(line);
}
