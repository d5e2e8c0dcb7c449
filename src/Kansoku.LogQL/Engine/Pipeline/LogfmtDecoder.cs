using System.Globalization;
using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// Loki's logfmt decoder (adapted from go-logfmt) over the line's bytes: <c>key=value</c>, <c>key="quoted \"value\""</c>,
/// standalone keys. <see cref="ScanKeyValue"/> returns false on a malformed pair (and records <see cref="Error"/>) or at
/// the end; the caller continues or stops (strict) as it wants.
/// </summary>
internal ref struct LogfmtDecoder
{
    private readonly ReadOnlySpan<byte> _line;
    private readonly byte[] _scratch;
    private int _position;
    private int _keyStart;
    private int _keyLength;
    private int _valueStart;
    private int _valueLength;
    private bool _valueInScratch;

    /// <param name="scratch">Holds unescaped quoted values; at least as long as the line.</param>
    public LogfmtDecoder(ReadOnlySpan<byte> line, byte[] scratch)
    {
        _line = line;
        _scratch = scratch;
    }

    public readonly bool EndOfLine => _position >= _line.Length;

    public readonly ReadOnlySpan<byte> Key => _line.Slice(_keyStart, _keyLength);

    public readonly ReadOnlySpan<byte> Value =>
        _valueInScratch ? _scratch.AsSpan(_valueStart, _valueLength) : _line.Slice(_valueStart, _valueLength);

    /// <summary>The first error seen (<c>logfmt syntax error at pos 8 : unexpected '='</c>), null when none.</summary>
    public string? Error { get; private set; }

    public bool ScanKeyValue()
    {
        _keyLength = 0;
        _valueLength = 0;
        _valueInScratch = false;
        var line = _line;

        // Skip garbage up to the key.
        while (_position < line.Length && line[_position] <= ' ')
        {
            _position++;
        }
        if (_position >= line.Length)
        {
            return false;
        }

        var start = _position;
        var multibyte = false;
        while (_position < line.Length)
        {
            var c = line[_position];
            if (c == '=')
            {
                if (_position > start)
                {
                    SetKey(start);
                    if (multibyte && HasInvalidUtf8(Key))
                    {
                        SyntaxError("invalid key");
                        return SkipValue();
                    }
                }
                if (_keyLength == 0)
                {
                    UnexpectedByte(c);
                    return SkipValue();
                }
                return ScanValue();
            }
            if (c == '"')
            {
                UnexpectedByte(c);
                return SkipValue();
            }
            if (c <= ' ')
            {
                SetKey(start);
                if (multibyte && HasInvalidUtf8(Key))
                {
                    SyntaxError("invalid key");
                    return false;
                }
                return true;
            }
            multibyte |= c >= 0x80;
            _position++;
        }
        SetKey(start);
        if (multibyte && HasInvalidUtf8(Key))
        {
            SyntaxError("invalid key");
            return false;
        }
        return true;
    }

    private bool ScanValue()
    {
        var line = _line;
        _position++;
        if (_position >= line.Length || line[_position] <= ' ')
        {
            return true;
        }
        if (line[_position] == '"')
        {
            return ScanQuotedValue();
        }
        var start = _position;
        while (_position < line.Length)
        {
            var c = line[_position];
            if (c == '=' || c == '"')
            {
                UnexpectedByte(c);
                return SkipValue();
            }
            if (c <= ' ')
            {
                break;
            }
            _position++;
        }
        _valueStart = start;
        _valueLength = _position - start;
        return true;
    }

    private bool ScanQuotedValue()
    {
        var line = _line;
        var start = _position;
        var hasEscape = false;
        var escaped = false;
        for (var i = _position + 1; i < line.Length; i++)
        {
            var c = line[i];
            if (escaped)
            {
                escaped = false;
            }
            else if (c == '\\')
            {
                hasEscape = true;
                escaped = true;
            }
            else if (c == '"')
            {
                _position = i + 1;
                if (!hasEscape)
                {
                    _valueStart = start + 1;
                    _valueLength = i - start - 1;
                    return true;
                }
                var length = Unquote(line[(start + 1)..i], _scratch);
                if (length < 0)
                {
                    SyntaxError("invalid quoted value");
                    return false;
                }
                _valueInScratch = true;
                _valueStart = 0;
                _valueLength = length;
                return true;
            }
        }
        _position = line.Length;
        SyntaxError("unterminated quoted value");
        return false;
    }

    private bool SkipValue()
    {
        while (_position < _line.Length && _line[_position] > ' ')
        {
            _position++;
        }
        return false;
    }

    private void SetKey(int start)
    {
        _keyStart = start;
        _keyLength = _position - start;
    }

    private void SyntaxError(string message) => Error = $"logfmt syntax error at pos {_position + 1} : {message}";

    private void UnexpectedByte(byte c) =>
        Error = $"logfmt syntax error at pos {_position + 1} : unexpected {QuoteRune((char)c)}";

    private static string QuoteRune(char c) => c switch
    {
        '\'' => "'\\''",
        _ => "'" + c + "'",
    };

    private static bool HasInvalidUtf8(ReadOnlySpan<byte> bytes) => !System.Text.Unicode.Utf8.IsValid(bytes) || bytes.IndexOf("\uFFFD"u8) >= 0;

    /// <summary>JSON-style unescaping (<c>\" \\ \/ \' \b \f \n \r \t \uXXXX</c>); -1 on a bad escape.</summary>
    private static int Unquote(ReadOnlySpan<byte> quoted, Span<byte> output)
    {
        var written = 0;
        for (var i = 0; i < quoted.Length; i++)
        {
            var c = quoted[i];
            if (c != '\\')
            {
                output[written++] = c;
                continue;
            }
            if (++i >= quoted.Length)
            {
                return -1;
            }
            switch (quoted[i])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'\'':
                    output[written++] = quoted[i];
                    break;
                case (byte)'b': output[written++] = (byte)'\b'; break;
                case (byte)'f': output[written++] = (byte)'\f'; break;
                case (byte)'n': output[written++] = (byte)'\n'; break;
                case (byte)'r': output[written++] = (byte)'\r'; break;
                case (byte)'t': output[written++] = (byte)'\t'; break;
                case (byte)'u':
                    if (i + 4 >= quoted.Length
                        || !int.TryParse(Encoding.ASCII.GetString(quoted.Slice(i + 1, 4)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        return -1;
                    }
                    i += 4;
                    var rune = Rune.IsValid(code) ? new Rune(code) : Rune.ReplacementChar;
                    written += rune.EncodeToUtf8(output[written..]);
                    break;
                default:
                    return -1;
            }
        }
        return written;
    }
}
