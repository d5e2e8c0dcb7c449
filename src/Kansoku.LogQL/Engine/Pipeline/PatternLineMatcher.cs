namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>|&gt; "&lt;_&gt; error &lt;_&gt;"</c>: Loki's <c>pattern.Matcher.Test</c>. The literals must appear in order, a
/// capture never matches empty text, a pattern ending in a literal must end the line and one ending in a capture must not.
/// </summary>
internal sealed class PatternLineMatcher(CompiledPattern pattern) : LineMatcher
{
    public override bool Matches(ReadOnlySpan<byte> line)
    {
        var parts = pattern.Parts;
        if (line.IsEmpty || parts.Length == 0)
        {
            return line.IsEmpty && parts.Length == 0;
        }
        var offset = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].IsCapture)
            {
                continue;
            }
            var found = line[offset..].IndexOf(parts[i].Literal!);
            if (found < 0)
            {
                return false;
            }
            if (i != 0 && found == 0)
            {
                return false;
            }
            offset += found + parts[i].Literal!.Length;
        }
        var endsOnCapture = parts[^1].IsCapture;
        var hasRemainder = offset != line.Length;
        return endsOnCapture == hasRemainder;
    }
}
