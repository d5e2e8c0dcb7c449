using System.Globalization;
using System.Text;

namespace Kansoku.LogQL.Parser;

/// <summary>Go string literals, as LogQL uses them: <c>"..."</c> with Go escapes and <c>`...`</c> raw strings.</summary>
internal static class StringLiterals
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes the body of a double-quoted literal (between the quotes). Octal and <c>\x</c> escapes are bytes, as in
    /// Go, so <c>"\xc3\xa9"</c> is <c>é</c>; bytes that do not form UTF-8 are refused (Go would keep them).
    /// </summary>
    /// <returns>null on success, else the error and, in <paramref name="errorIndex"/>, where in the body it is.</returns>
    public static string? TryUnescape(ReadOnlySpan<char> body, out string value, out int errorIndex)
    {
        value = "";
        errorIndex = 0;
        if (body.IndexOf('\\') < 0)
        {
            var invalid = FindInvalidSurrogate(body);
            if (invalid >= 0)
            {
                errorIndex = invalid;
                return "invalid UTF-8 encoding";
            }
            value = new string(body);
            return null;
        }
        var bytes = new List<byte>(body.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\')
            {
                if (char.IsSurrogate(c))
                {
                    if (!char.IsHighSurrogate(c) || i + 1 >= body.Length || !char.IsLowSurrogate(body[i + 1]))
                    {
                        errorIndex = i;
                        return "invalid UTF-8 encoding";
                    }
                    AddRune(bytes, new Rune(c, body[i + 1]), utf8);
                    i++;
                    continue;
                }
                AddRune(bytes, new Rune(c), utf8);
                continue;
            }
            errorIndex = i;
            if (i + 1 >= body.Length)
            {
                return "invalid char escape";
            }
            var escape = body[++i];
            switch (escape)
            {
                case 'a': bytes.Add(0x07); break;
                case 'b': bytes.Add(0x08); break;
                case 'f': bytes.Add(0x0C); break;
                case 'n': bytes.Add(0x0A); break;
                case 'r': bytes.Add(0x0D); break;
                case 't': bytes.Add(0x09); break;
                case 'v': bytes.Add(0x0B); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '"': bytes.Add((byte)'"'); break;
                case >= '0' and <= '7':
                    if (i + 2 >= body.Length || !IsOctal(body[i + 1]) || !IsOctal(body[i + 2]))
                    {
                        return "invalid char escape";
                    }
                    var octal = ((escape - '0') * 64) + ((body[i + 1] - '0') * 8) + (body[i + 2] - '0');
                    if (octal > 255)
                    {
                        return "octal escape value > 255";
                    }
                    bytes.Add((byte)octal);
                    i += 2;
                    break;
                case 'x':
                case 'u':
                case 'U':
                    var digits = escape == 'x' ? 2 : escape == 'u' ? 4 : 8;
                    if (i + digits >= body.Length
                        || !int.TryParse(body.Slice(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        return "invalid char escape";
                    }
                    if (escape == 'x')
                    {
                        bytes.Add((byte)code);
                    }
                    else if (Rune.IsValid(code))
                    {
                        AddRune(bytes, new Rune(code), utf8);
                    }
                    else
                    {
                        return "escape sequence is invalid Unicode code point";
                    }
                    i += digits;
                    break;
                default:
                    return "invalid char escape";
            }
        }
        try
        {
            value = s_strictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            errorIndex = 0;
            return "invalid UTF-8 encoding";
        }
        return null;
    }

    /// <summary>The index of the first unpaired surrogate, or -1: such a string has no UTF-8 form.</summary>
    public static int FindInvalidSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// A literal that reads back as <paramref name="value"/>: a raw <c>`...`</c> string when that avoids escaping
    /// backslashes (regexes), else a double-quoted string with Go escapes.
    /// </summary>
    public static string Quote(string value)
    {
        if (value.Contains('\\', StringComparison.Ordinal) && CanBeRaw(value))
        {
            return "`" + value + "`";
        }
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ' or '\x7f':
                    text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"').ToString();
    }

    private static bool CanBeRaw(string value)
    {
        foreach (var c in value)
        {
            // Raw strings drop carriage returns and cannot hold a backtick; control characters would be unreadable.
            if (c == '`' || c < ' ' || c == '\x7f')
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static void AddRune(List<byte> bytes, Rune rune, Span<byte> scratch)
    {
        var length = rune.EncodeToUtf8(scratch);
        for (var i = 0; i < length; i++)
        {
            bytes.Add(scratch[i]);
        }
    }
}
