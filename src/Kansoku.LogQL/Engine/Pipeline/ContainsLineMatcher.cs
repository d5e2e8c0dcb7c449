using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary><c>|= "text"</c>: a case-sensitive byte search.</summary>
internal sealed class ContainsLineMatcher(string value) : LineMatcher
{
    private readonly byte[] _value = Encoding.UTF8.GetBytes(value);

    public override bool Matches(ReadOnlySpan<byte> line) => line.IndexOf(_value) >= 0;
}
