namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>One operand of a line filter: whether a line matches it.</summary>
internal abstract class LineMatcher
{
    public abstract bool Matches(ReadOnlySpan<byte> line);
}
