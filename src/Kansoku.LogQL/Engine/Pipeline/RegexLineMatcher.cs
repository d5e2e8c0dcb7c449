using System.Text.RegularExpressions;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary><c>|~ "re"</c>: the regex matches somewhere in the line (decoded into a reused buffer, not a string).</summary>
internal sealed class RegexLineMatcher(Regex regex) : LineMatcher
{
    private readonly Utf16Buffer _buffer = new();

    public override bool Matches(ReadOnlySpan<byte> line) => regex.IsMatch(_buffer.Decode(line));
}
