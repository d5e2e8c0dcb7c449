using System.Globalization;
using System.Text;

namespace Kansoku.PromQL.Parser;

/// <summary>Go's string quoting rules, as PromQL uses them: strconv.Quote for printing, strutil.Unquote for literals.</summary>
internal static class StringLiterals
{
    /// <summary>Go's <c>strconv.Quote</c>: double quotes, Go escapes for control and non-printable characters.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        AppendEscaped(text, value, '"');
        return text.Append('"').ToString();
    }

    /// <summary>Appends <paramref name="value"/> escaped as inside Go quotes of kind <paramref name="quote"/>.</summary>
    public static void AppendEscaped(StringBuilder text, string value, char quote)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\a': text.Append("\\a"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\v': text.Append("\\v"); break;
                case '\\': text.Append("\\\\"); break;
                default:
                    if (rune.Value == quote)
                    {
                        text.Append('\\').Append(quote);
                    }
                    else if (rune.Value == 0xFFFD || IsPrintable(rune))
                    {
                        text.Append(rune.ToString());
                    }
                    else if (rune.Value < 0x80)
                    {
                        text.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (rune.Value < 0x10000)
                    {
                        text.Append("\\u").Append(rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append("\\U").Append(rune.Value.ToString("x8", CultureInfo.InvariantCulture));
                    }
                    break;
            }
        }
    }

    private static bool IsPrintable(Rune rune)
    {
        if (rune.Value < 0x20 || rune.Value == 0x7F)
        {
            return false;
        }
        if (rune.Value < 0x7F)
        {
            return true;
        }
        var category = Rune.GetUnicodeCategory(rune);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator) || rune.Value == 0x20;
    }

    /// <summary>
    /// The value of a quoted literal as the lexer accepted it (<c>"..."</c> and <c>'...'</c> with Go escapes, <c>`...`</c>
    /// raw), or null with <paramref name="error"/> set to Go's message ("invalid syntax").
    /// </summary>
    public static string? Unquote(ReadOnlySpan<byte> literal, out string? error)
    {
        error = null;
        if (literal.Length < 2 || literal[0] != literal[^1])
        {
            error = "invalid syntax";
            return null;
        }
        var quote = literal[0];
        var body = literal[1..^1];
        if (quote == (byte)'`')
        {
            return Encoding.UTF8.GetString(body);
        }
        if (body.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(body);
        }
        var bytes = new List<byte>(body.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < body.Length; i++)
        {
            var b = body[i];
            if (b != (byte)'\\')
            {
                bytes.Add(b);
                continue;
            }
            if (++i >= body.Length)
            {
                error = "invalid syntax";
                return null;
            }
            var c = (char)body[i];
            switch (c)
            {
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'n': bytes.Add(10); break;
                case 'r': bytes.Add(13); break;
                case 't': bytes.Add(9); break;
                case 'v': bytes.Add(11); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '\'' or '"':
                    if (c != quote)
                    {
                        error = "invalid syntax";
                        return null;
                    }
                    bytes.Add((byte)c);
                    break;
                case >= '0' and <= '7':
                    if (!TryDigits(body, i, 3, 8, out var octal) || octal > 255)
                    {
                        error = "invalid syntax";
                        return null;
                    }
                    bytes.Add((byte)octal);
                    i += 2;
                    break;
                case 'x':
                    if (!TryDigits(body, i + 1, 2, 16, out var hex))
                    {
                        error = "invalid syntax";
                        return null;
                    }
                    bytes.Add((byte)hex);
                    i += 2;
                    break;
                case 'u' or 'U':
                    var length = c == 'u' ? 4 : 8;
                    if (!TryDigits(body, i + 1, length, 16, out var code) || !Rune.IsValid(code))
                    {
                        error = "invalid syntax";
                        return null;
                    }
                    var written = new Rune(code).EncodeToUtf8(utf8);
                    for (var k = 0; k < written; k++)
                    {
                        bytes.Add(utf8[k]);
                    }
                    i += length;
                    break;
                default:
                    error = "invalid syntax";
                    return null;
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, int radix, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }
        for (var i = start; i < start + count; i++)
        {
            var digit = HexValue(text[i]);
            if (digit >= radix)
            {
                return false;
            }
            value = (value * radix) + digit;
        }
        return true;
    }

    /// <summary>The value of a hex digit, or 16 for anything else.</summary>
    public static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => 16,
    };
}
