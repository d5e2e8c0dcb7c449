using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>A reused buffer for the UTF-16 form of a line, for .NET APIs (regexes) that read chars.</summary>
internal sealed class Utf16Buffer
{
    private char[] _chars = new char[256];

    /// <summary>The decoded line (invalid UTF-8 becomes U+FFFD), valid until the next call.</summary>
    public ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8)
    {
        if (_chars.Length < utf8.Length)
        {
            _chars = new char[Math.Max(utf8.Length, _chars.Length * 2)];
        }
        var count = Encoding.UTF8.GetChars(utf8, _chars);
        return _chars.AsSpan(0, count);
    }
}
