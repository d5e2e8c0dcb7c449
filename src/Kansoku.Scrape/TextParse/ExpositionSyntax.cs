using System.Buffers;
using System.Globalization;
using System.Text;

namespace Kansoku.Scrape.TextParse;

/// <summary>
/// The lexical pieces both exposition formats share: names, quoted strings, numbers and unescaping. Scanning works on
/// the body's bytes with vectorised searches; nothing here allocates.
/// </summary>
internal static class ExpositionSyntax
{
    /// <summary>Prometheus' canonical NaN (value.NormalNaN), so that a parsed NaN is never taken for the stale marker.</summary>
    public static double NormalNaN { get; } = BitConverter.UInt64BitsToDouble(0x7ff8000000000001UL);

    private static readonly SearchValues<byte> s_metricNameBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:"u8);

    private static readonly SearchValues<byte> s_labelNameBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"u8);

    private static readonly SearchValues<byte> s_quoteOrBackslash = SearchValues.Create("\"\\"u8);

    private static readonly SearchValues<byte> s_quoteBackslashOrNewline = SearchValues.Create("\"\\\n"u8);

    public static bool IsMetricNameStart(byte c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a' || c is (byte)'_' or (byte)':';

    public static bool IsLabelNameStart(byte c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a' || c == '_';

    public static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    public static bool IsBlank(byte c) => c is (byte)' ' or (byte)'\t';

    /// <summary>
    /// The end of a legacy metric name (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>) starting at <paramref name="start"/>, or start
    /// when there is none.
    /// </summary>
    public static int ScanMetricName(ReadOnlySpan<byte> body, int start) =>
        start < body.Length && IsMetricNameStart(body[start]) ? ScanRun(body, start, s_metricNameBytes) : start;

    /// <summary>The end of a legacy label name (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>), or start when there is none.</summary>
    public static int ScanLabelName(ReadOnlySpan<byte> body, int start) =>
        start < body.Length && IsLabelNameStart(body[start]) ? ScanRun(body, start, s_labelNameBytes) : start;

    private static int ScanRun(ReadOnlySpan<byte> body, int start, SearchValues<byte> allowed)
    {
        var length = body[start..].IndexOfAnyExcept(allowed);
        return length < 0 ? body.Length : start + length;
    }

    public static int SkipBlanks(ReadOnlySpan<byte> body, int position)
    {
        while (position < body.Length && IsBlank(body[position]))
        {
            position++;
        }
        return position;
    }

    /// <summary>The index of the line feed ending the line at <paramref name="position"/>, or the body's length.</summary>
    public static int LineEnd(ReadOnlySpan<byte> body, int position)
    {
        var length = body[position..].IndexOf((byte)'\n');
        return length < 0 ? body.Length : position + length;
    }

    /// <summary>
    /// Reads the quoted string whose opening quote is at <paramref name="quote"/>; a backslash escapes any next byte.
    /// Returns the position after the closing quote, or -1 when it is not closed (or, unless <paramref name="allowNewline"/>,
    /// holds a raw line feed).
    /// </summary>
    public static int ScanQuoted(ReadOnlySpan<byte> body, int quote, bool allowNewline, out ByteToken content)
    {
        var stops = allowNewline ? s_quoteOrBackslash : s_quoteBackslashOrNewline;
        var escaped = false;
        var position = quote + 1;
        while (true)
        {
            var offset = body[position..].IndexOfAny(stops);
            if (offset < 0)
            {
                content = ByteToken.None;
                return -1;
            }
            position += offset;
            switch (body[position])
            {
                case (byte)'"':
                    content = new ByteToken(quote + 1, position - quote - 1, escaped);
                    return position + 1;
                case (byte)'\\' when position + 1 < body.Length && (allowNewline || body[position + 1] != '\n'):
                    escaped = true;
                    position += 2;
                    break;
                default:
                    content = ByteToken.None;
                    return -1;
            }
        }
    }

    /// <summary>
    /// Parses a number as both formats write it: decimal with optional fraction and exponent, or Inf/Infinity (signed
    /// or not) and NaN, case-insensitive. Hex, underscores and whitespace are refused, as Prometheus refuses them.
    /// </summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }
        var position = 0;
        var negative = false;
        if (text[0] is (byte)'+' or (byte)'-')
        {
            negative = text[0] == '-';
            position = 1;
        }
        if (position < text.Length && (text[position] | 0x20) is (byte)'i' or (byte)'n')
        {
            return TryParseSpecial(text[position..], signed: position > 0, negative, out value);
        }

        ulong mantissa = 0;
        var digits = 0;
        var fractionDigits = 0;
        var start = position;
        while (position < text.Length && IsDigit(text[position]))
        {
            if (mantissa != 0 || text[position] != '0')
            {
                digits++;
            }
            mantissa = unchecked((mantissa * 10) + (uint)(text[position] - '0'));
            position++;
        }
        var integerDigits = position - start;
        if (position < text.Length && text[position] == '.')
        {
            position++;
            var fractionStart = position;
            while (position < text.Length && IsDigit(text[position]))
            {
                if (mantissa != 0 || text[position] != '0')
                {
                    digits++;
                }
                mantissa = unchecked((mantissa * 10) + (uint)(text[position] - '0'));
                position++;
            }
            fractionDigits = position - fractionStart;
        }
        if (integerDigits + fractionDigits == 0)
        {
            return false;
        }
        var exponent = 0;
        if (position < text.Length && (text[position] | 0x20) == 'e')
        {
            position++;
            var exponentNegative = false;
            if (position < text.Length && text[position] is (byte)'+' or (byte)'-')
            {
                exponentNegative = text[position] == '-';
                position++;
            }
            var exponentStart = position;
            while (position < text.Length && IsDigit(text[position]))
            {
                exponent = Math.Min((exponent * 10) + (text[position] - '0'), 100_000);
                position++;
            }
            if (position == exponentStart)
            {
                return false;
            }
            exponent = exponentNegative ? -exponent : exponent;
        }
        if (position != text.Length)
        {
            return false;
        }

        // Clinger's fast path: a mantissa below 2^53 scaled by an exactly representable power of ten rounds once,
        // so it is exact; everything else goes to the runtime's correctly rounded parser.
        var scale = exponent - fractionDigits;
        if (digits <= 15 && scale is >= -22 and <= 22)
        {
            double result = mantissa;
            result = scale < 0 ? result / s_powersOfTen[-scale] : result * s_powersOfTen[scale];
            value = negative ? -result : result;
            return true;
        }
        return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value);
    }

    private static readonly double[] s_powersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
        1e21, 1e22,
    ];

    private static bool TryParseSpecial(ReadOnlySpan<byte> word, bool signed, bool negative, out double value)
    {
        if (Ascii.EqualsIgnoreCase(word, "inf"u8) || Ascii.EqualsIgnoreCase(word, "infinity"u8))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        // Go's ParseFloat, which Prometheus uses, takes no sign on NaN.
        value = NormalNaN;
        return !signed && Ascii.EqualsIgnoreCase(word, "nan"u8);
    }

    /// <summary>
    /// Unescapes a label value, a quoted name or a help text: <c>\\</c>, <c>\n</c> and (when <paramref name="quotes"/>)
    /// <c>\"</c>; any other backslash stays as written, as Prometheus and the OpenMetrics parsers keep it.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> text, Span<byte> destination, bool quotes)
    {
        var written = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                if (next == '\\' || next == 'n' || (quotes && next == '"'))
                {
                    destination[written++] = next == 'n' ? (byte)'\n' : next;
                    i++;
                    continue;
                }
            }
            destination[written++] = c;
        }
        return written;
    }

    public static string Decode(ReadOnlySpan<byte> body, ByteToken token, bool quotes)
    {
        var text = token.Of(body);
        if (!token.Escaped)
        {
            return Encoding.UTF8.GetString(text);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(text.Length);
        try
        {
            var length = Unescape(text, buffer, quotes);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
