using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>A reused buffer holding a rewritten line as UTF-8 (what formatting stages point the line at).</summary>
internal sealed class Utf8Output
{
    private byte[] _bytes = new byte[256];

    public ReadOnlySpan<byte> Encode(string text) => Encode(text.AsSpan());

    public ReadOnlySpan<byte> Encode(ReadOnlySpan<char> text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_bytes.Length < length)
        {
            _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
        }
        var written = Encoding.UTF8.GetBytes(text, _bytes);
        return _bytes.AsSpan(0, written);
    }

    public ReadOnlySpan<byte> Encode(StringBuilder text)
    {
        var total = 0;
        foreach (var chunk in text.GetChunks())
        {
            total += chunk.Length;
        }
        var length = Encoding.UTF8.GetMaxByteCount(total);
        if (_bytes.Length < length)
        {
            _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
        }
        var encoder = Encoding.UTF8.GetEncoder();
        var written = 0;
        foreach (var chunk in text.GetChunks())
        {
            written += encoder.GetBytes(chunk.Span, _bytes.AsSpan(written), flush: false);
        }
        written += encoder.GetBytes([], _bytes.AsSpan(written), flush: true);
        return _bytes.AsSpan(0, written);
    }
}
