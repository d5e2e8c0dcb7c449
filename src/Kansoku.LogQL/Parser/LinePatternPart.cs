namespace Kansoku.LogQL.Parser;

/// <summary>A literal run of a pattern, or a capture <c>&lt;name&gt;</c> (<see cref="Text"/> is the name; "_" skips).</summary>
internal readonly record struct LinePatternPart(string Text, bool IsCapture)
{
    public bool IsNamedCapture => IsCapture && Text != "_";
}
