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
        var index = text.IndexOfAny(s_needsEscape);
        if (index < 0 && Utf8.IsValid(text))
        {
            buffer.Write(text);
            return;
        }
        WriteSlow(buffer, text);
    }

    private static void WriteSlow(ByteBuffer buffer, ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            var plain = text.IndexOfAny(s_needsEscape);
            var run = plain < 0 ? text : text[..plain];
            WriteValidatedRun(buffer, run);
            if (plain < 0)
            {
                return;
            }
            WriteEscaped(buffer, text[plain]);
            text = text[(plain + 1)..];
        }
    }

    private static void WriteValidatedRun(ByteBuffer buffer, ReadOnlySpan<byte> run)
    {
        if (Utf8.IsValid(run))
        {
            buffer.Write(run);
            return;
        }
        while (!run.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(run, out _, out var consumed);
            if (status == OperationStatus.Done)
            {
                // Copy the longest valid stretch at once rather than rune by rune.
                var valid = consumed;
                while (valid < run.Length && Rune.DecodeFromUtf8(run[valid..], out _, out var next) == OperationStatus.Done)
                {
                    valid += next;
                }
                buffer.Write(run[..valid]);
                run = run[valid..];
            }
            else
            {
                buffer.Write("\\ufffd"u8);
                run = run[Math.Max(consumed, 1)..];
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
        set.Add(0x7F);
        return [.. set];
    }
}
