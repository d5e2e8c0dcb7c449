using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using Kansoku.Agent.Parsers.Fields;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Logfmt;

/// <summary>
/// Fluent Bit's logfmt format: <c>key=value key="quoted \" value" flag</c>. Values are strings (Types converts them);
/// a bare key is <c>true</c> unless Logfmt_No_Bare_Keys is on, which rejects such lines.
/// </summary>
/// <remarks>
/// A line without a single <c>key=value</c> pair is not taken as logfmt: Fluent Bit would turn every word of a plain
/// sentence into a <c>true</c> key, which hides the message instead of parsing it. Lines that are not valid UTF-8 are
/// left unparsed too.
/// </remarks>
internal sealed class LogfmtContentParser : IContentParser
{
    private readonly ParserOptions _options;
    private readonly bool _noBareKeys;

    public LogfmtContentParser(ParserOptions options, bool noBareKeys)
    {
        _options = options;
        _noBareKeys = noBareKeys;
    }

    public string Name => _options.Name;

    public bool TryParse(LogRecord record)
    {
        var content = record.Content.Span;
        if (content.IndexOf((byte)'=') < 0 || !Utf8.IsValid(content))
        {
            return false;
        }
        var builder = FieldsBuilder.Start(_options);
        var pairs = 0;
        var pos = 0;
        while (true)
        {
            while (pos < content.Length && IsSpace(content[pos]))
            {
                pos++;
            }
            if (pos == content.Length)
            {
                break;
            }
            var keyStart = pos;
            while (pos < content.Length && content[pos] > ' ' && content[pos] is not ((byte)'=' or (byte)'"'))
            {
                pos++;
            }
            var key = content[keyStart..pos];
            if (key.IsEmpty)
            {
                return false;
            }
            if (pos == content.Length || IsSpace(content[pos]))
            {
                if (_noBareKeys)
                {
                    return false;
                }
                builder.AddFlag(key);
                continue;
            }
            if (content[pos] != '=')
            {
                return false;
            }
            pos++;
            if (pos < content.Length && content[pos] == '"')
            {
                if (!TryReadQuoted(content, ref pos, builder, out var quoted))
                {
                    return false;
                }
                builder.Add(key, quoted);
            }
            else
            {
                var valueStart = pos;
                while (pos < content.Length && !IsSpace(content[pos]))
                {
                    pos++;
                }
                builder.Add(key, content[valueStart..pos]);
            }
            pairs++;
        }
        if (pairs == 0)
        {
            return false;
        }
        builder.Complete(record);
        return true;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';

    /// <summary>Reads a quoted value at <paramref name="pos"/> (on the opening quote), unescaping when needed.</summary>
    private static bool TryReadQuoted(ReadOnlySpan<byte> content, ref int pos, FieldsBuilder builder, out ReadOnlySpan<byte> value)
    {
        value = default;
        var start = pos + 1;
        var end = start;
        var escaped = false;
        while (end < content.Length && content[end] != '"')
        {
            if (content[end] == '\\')
            {
                escaped = true;
                end++;
            }
            end++;
        }
        if (end >= content.Length || (end + 1 < content.Length && !IsSpace(content[end + 1])))
        {
            return false;
        }
        pos = end + 1;
        var raw = content[start..end];
        value = escaped ? Unescape(raw, builder.UnescapeBuffer(raw.Length)) : raw;
        return true;
    }

    /// <summary>Go-style escapes: \" \\ \/ \n \t \r \b \f \uXXXX; others are kept as written.</summary>
    private static ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b != '\\' || i + 1 == raw.Length)
            {
                destination[written++] = b;
                continue;
            }
            var next = raw[++i];
            switch (next)
            {
                case (byte)'n': destination[written++] = (byte)'\n'; break;
                case (byte)'t': destination[written++] = (byte)'\t'; break;
                case (byte)'r': destination[written++] = (byte)'\r'; break;
                case (byte)'b': destination[written++] = (byte)'\b'; break;
                case (byte)'f': destination[written++] = (byte)'\f'; break;
                case (byte)'"' or (byte)'\\' or (byte)'/': destination[written++] = next; break;
                case (byte)'u' when i + 4 < raw.Length && Utf8Parser.TryParse(raw.Slice(i + 1, 4), out ushort code, out var used, 'x')
                    && used == 4:
                    // \uXXXX is 6 bytes and encodes to at most 3, so it fits in place.
                    var rune = Rune.IsValid(code) ? new Rune(code) : Rune.ReplacementChar;
                    written += rune.EncodeToUtf8(destination[written..]);
                    i += 4;
                    break;
                default:
                    destination[written++] = (byte)'\\';
                    destination[written++] = next;
                    break;
            }
        }
        return destination[..written];
    }
}
