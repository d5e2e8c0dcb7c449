using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Kansoku.Agent.Pipeline;

/// <summary>
/// Writes bytes as the inside of a JSON string. The common case, printable ASCII and valid UTF-8 with no quote or
/// backslash, is one vectorised scan and a copy; only the rare bytes go through the slow path. Invalid UTF-8 becomes
/// U+FFFD, so output is always valid JSON whatever a container wrote.
/// </summary>
internal static class JsonStringEscaper
{
    // Bytes that need no escaping in a JSON string: printable ASCII except '"' and '\', and every byte >= 0x80
    // (UTF-8 validity is checked separately, once per span).
    private static readonly SearchValues<byte> s_needsEscape = SearchValues.Create(BuildEscapeSet());

    public static void Write(ByteBuffer buffer, ReadOnlySpan<byte> text)
    {
        if (!Utf8.IsValid(text))
        {
            WriteReplacingInvalid(buffer, text);
            return;
        }
        WriteValid(buffer, text);
    }

    /// <summary>Valid UTF-8: copy the runs between bytes that need escaping, found by a vectorised search.</summary>
    private static void WriteValid(ByteBuffer buffer, ReadOnlySpan<byte> text)
    {
        while (true)
        {
            var next = text.IndexOfAny(s_needsEscape);
            if (next < 0)
            {
                buffer.Write(text);
                return;
            }
            buffer.Write(text[..next]);
            WriteEscaped(buffer, text[next]);
            text = text[(next + 1)..];
        }
    }

    /// <summary>Rare: a container wrote bytes that are not UTF-8. Each invalid sequence becomes U+FFFD.</summary>
    private static void WriteReplacingInvalid(ByteBuffer buffer, ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(text, out _, out var consumed);
            var valid = 0;
            while (status == OperationStatus.Done)
            {
                valid += consumed;
                if (valid == text.Length)
                {
                    break;
                }
                status = Rune.DecodeFromUtf8(text[valid..], out _, out consumed);
            }
            WriteValid(buffer, text[..valid]);
            text = text[valid..];
            if (!text.IsEmpty)
            {
                buffer.Write("\\ufffd"u8);
                text = text[Math.Max(consumed, 1)..];
            }
        }
    }

    private static void WriteEscaped(ByteBuffer buffer, byte value)
    {
        switch (value)
        {
            case (byte)'"': buffer.Write("\\\""u8); break;
            case (byte)'\\': buffer.Write("\\\\"u8); break;
            case (byte)'\n': buffer.Write("\\n"u8); break;
            case (byte)'\r': buffer.Write("\\r"u8); break;
            case (byte)'\t': buffer.Write("\\t"u8); break;
            case (byte)'\b': buffer.Write("\\b"u8); break;
            case (byte)'\f': buffer.Write("\\f"u8); break;
            default:
                Span<byte> escape = stackalloc byte[6];
                "\\u00"u8.CopyTo(escape);
                escape[4] = HexDigit(value >> 4);
                escape[5] = HexDigit(value & 0xF);
                buffer.Write(escape);
                break;
        }
    }

    private static byte HexDigit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static byte[] BuildEscapeSet()
    {
        var set = new List<byte>();
        for (var b = 0; b < 0x20; b++)
        {
            set.Add((byte)b);
        }
        set.Add((byte)'"');
        set.Add((byte)'\\');
        return [.. set];
    }
}
