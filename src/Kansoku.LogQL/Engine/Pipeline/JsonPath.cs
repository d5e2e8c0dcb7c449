using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// A <c>| json label="path"</c> expression in Loki's jsonexpr syntax: fields joined by dots, <c>["key"]</c> and
/// <c>[index]</c> accessors (<c>request.headers["User-Agent"]</c>, <c>items[0].id</c>).
/// </summary>
internal sealed class JsonPath
{
    private JsonPath(IReadOnlyList<Segment> segments)
    {
        Segments = segments;
    }

    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>Null when the expression is not valid; <paramref name="error"/> then says why.</summary>
    public static JsonPath? TryParse(string expression, out string? error)
    {
        error = null;
        var segments = new List<Segment>();
        var i = 0;
        var expectField = true;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                i++;
                continue;
            }
            if (c == '.' && segments.Count > 0 && !expectField)
            {
                i++;
                expectField = true;
                if (!SkipSpaces(expression, ref i) || !IsFieldStart(expression[i]))
                {
                    error = "syntax error: unexpected end of field";
                    return null;
                }
                continue;
            }
            if (IsFieldStart(c) && (segments.Count == 0 || expectField))
            {
                var start = i;
                while (i < expression.Length && (IsFieldStart(expression[i]) || char.IsAsciiDigit(expression[i])))
                {
                    i++;
                }
                segments.Add(Segment.Key(expression[start..i]));
                expectField = false;
                continue;
            }
            if (c == '[')
            {
                i++;
                if (!SkipSpaces(expression, ref i))
                {
                    error = "syntax error: unexpected end of input";
                    return null;
                }
                if (expression[i] == '"')
                {
                    var end = expression.IndexOfAny(['"', ']'], i + 1);
                    var key = end < 0 ? expression[(i + 1)..] : expression[(i + 1)..end];
                    i = end < 0 ? expression.Length : end + (expression[end] == '"' ? 1 : 0);
                    segments.Add(Segment.Key(key));
                }
                else if (char.IsAsciiDigit(expression[i]))
                {
                    var start = i;
                    while (i < expression.Length && char.IsAsciiDigit(expression[i]))
                    {
                        i++;
                    }
                    if (i < expression.Length && expression[i] == '.')
                    {
                        error = "cannot use float as array index";
                        return null;
                    }
                    if (!int.TryParse(expression.AsSpan(start, i - start), System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out var index))
                    {
                        error = "invalid index";
                        return null;
                    }
                    segments.Add(Segment.Index(index));
                }
                else
                {
                    error = $"syntax error: unexpected {expression[i]}";
                    return null;
                }
                if (!SkipSpaces(expression, ref i) || expression[i] != ']')
                {
                    error = "syntax error: unexpected end of input, expecting RSB";
                    return null;
                }
                i++;
                expectField = false;
                continue;
            }
            error = $"unexpected char {c}";
            return null;
        }
        if (segments.Count == 0)
        {
            error = "syntax error: unexpected end of input";
            return null;
        }
        return new JsonPath(segments);
    }

    private static bool SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r')
        {
            i++;
        }
        return i < text.Length;
    }

    private static bool IsFieldStart(char c) => char.IsAsciiLetter(c) || c == '_';

    /// <summary>An object key (<see cref="KeyUtf8"/> set) or an array index.</summary>
    internal sealed class Segment
    {
        private Segment(byte[]? keyUtf8, int index)
        {
            KeyUtf8 = keyUtf8;
            ArrayIndex = index;
        }

        public byte[]? KeyUtf8 { get; }

        public int ArrayIndex { get; }

        public static Segment Key(string key) => new(Encoding.UTF8.GetBytes(key), -1);

        public static Segment Index(int index) => new(null, index);
    }
}
