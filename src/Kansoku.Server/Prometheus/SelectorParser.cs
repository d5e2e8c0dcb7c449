using System.Globalization;
using System.Text;
using Kansoku.Core.Exposition;
using Kansoku.Core.Labels;

namespace Kansoku.Server.Prometheus;

/// <summary>
/// Parses the part of PromQL the API evaluates before the PromQL engine exists: a vector selector
/// (<c>up</c>, <c>{job="x"}</c>, <c>foo{a=~"b.*", c!=""}</c>) optionally followed by a range (<c>[5m]</c>). Strings are
/// Go literals in double or single quotes (with escapes) or backticks (raw). Anything else, such as a function call or an
/// operator, is refused with its position so the caller answers <c>bad_data</c>. The PromQL parser replaces this whole
/// class; <see cref="Selector"/> is all it shares with the endpoints.
/// </summary>
internal ref struct SelectorParser
{
    private const string Unsupported =
        "only vector selectors (up{job=\"x\"}) and range selectors (up[5m]) are supported until the PromQL engine lands";

    private readonly string _text;
    private int _position;

    private SelectorParser(string text)
    {
        _text = text;
    }

    /// <summary>Parses a whole query; throws <see cref="SelectorParseException"/>.</summary>
    public static Selector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new SelectorParser(text);
        return parser.ParseQuery();
    }

    /// <summary>A selector without a range, as <c>match[]</c> takes (Prometheus' <c>ParseMetricSelector</c>).</summary>
    public static IReadOnlyList<LabelMatcher> ParseMetricSelector(string text)
    {
        var selector = Parse(text);
        if (selector.IsRange)
        {
            throw new SelectorParseException(1, 1, "expected a vector selector, not a range selector");
        }
        return selector.Matchers;
    }

    private Selector ParseQuery()
    {
        SkipSpace();
        if (AtEnd)
        {
            throw Error(_position, "no expression found in input");
        }
        var start = _position;
        var matchers = new List<LabelMatcher>();
        string? name = null;
        if (IsNameStart(Current))
        {
            name = ReadName(allowColon: true);
            matchers.Add(new LabelMatcher(LabelMatchType.Equal, "__name__", name));
            SkipSpace();
        }
        else if (Current != '{')
        {
            throw Error(_position, $"unexpected character {GoQuote.Quote(Current.ToString())}: {Unsupported}");
        }
        if (!AtEnd && Current == '{')
        {
            ParseMatchers(matchers, name);
            SkipSpace();
        }
        long? range = null;
        if (!AtEnd && Current == '[')
        {
            range = ParseRange();
            SkipSpace();
        }
        if (!AtEnd)
        {
            throw Error(_position, $"unexpected {Describe()}: {Unsupported}");
        }
        var anyNonEmpty = false;
        foreach (var matcher in matchers)
        {
            anyNonEmpty |= !matcher.MatchesEmpty;
        }
        if (!anyNonEmpty)
        {
            throw Error(start, "vector selector must contain at least one non-empty matcher");
        }
        return new Selector(_text, matchers, range);
    }

    private void ParseMatchers(List<LabelMatcher> matchers, string? metricName)
    {
        _position++; // '{'
        while (true)
        {
            SkipSpace();
            if (AtEnd)
            {
                throw Error(_position, "unexpected end of input inside braces");
            }
            if (Current == '}')
            {
                _position++;
                return;
            }
            var labelAt = _position;
            string label;
            if (Current is '"' or '\'' or '`')
            {
                label = ReadString();
            }
            else if (IsNameStart(Current) && Current != ':')
            {
                label = ReadName(allowColon: false);
            }
            else
            {
                throw Error(_position, $"unexpected {Describe()} in label matching, expected label");
            }
            SkipSpace();
            var type = ReadOperator();
            SkipSpace();
            if (AtEnd || Current is not ('"' or '\'' or '`'))
            {
                throw Error(_position, $"unexpected {Describe()} in label matching, expected string");
            }
            var valueAt = _position;
            var value = ReadString();
            if (label == "__name__" && metricName is not null)
            {
                throw Error(labelAt, $"metric name must not be set twice: {GoQuote.Quote(metricName)} or {GoQuote.Quote(value)}");
            }
            try
            {
                matchers.Add(new LabelMatcher(type, label, value));
            }
            catch (ArgumentException e)
            {
                throw Error(valueAt, $"error parsing regexp: {e.Message}");
            }
            SkipSpace();
            if (AtEnd)
            {
                throw Error(_position, "unexpected end of input inside braces");
            }
            if (Current == ',')
            {
                _position++;
            }
            else if (Current != '}')
            {
                throw Error(_position, $"unexpected {Describe()} in label matching, expected \",\" or \"}}\"");
            }
        }
    }

    private long ParseRange()
    {
        _position++; // '['
        SkipSpace();
        var start = _position;
        while (!AtEnd && char.IsAsciiLetterOrDigit(Current))
        {
            _position++;
        }
        var text = _text.AsSpan(start, _position - start);
        if (!PrometheusDuration.TryParse(text, out var milliseconds, out var reason))
        {
            throw Error(start, $"bad duration syntax {GoQuote.Quote(text.ToString())}: {reason}");
        }
        if (milliseconds == 0)
        {
            throw Error(start, "range selector must be greater than 0");
        }
        SkipSpace();
        if (AtEnd || Current != ']')
        {
            throw Error(_position, $"unexpected {Describe()} in range selector, expected \"]\"");
        }
        _position++;
        return milliseconds;
    }

    private LabelMatchType ReadOperator()
    {
        var at = _position;
        if (Match("=~"))
        {
            return LabelMatchType.RegexMatch;
        }
        if (Match("!~"))
        {
            return LabelMatchType.RegexNoMatch;
        }
        if (Match("!="))
        {
            return LabelMatchType.NotEqual;
        }
        if (Match("="))
        {
            return LabelMatchType.Equal;
        }
        throw Error(at, $"unexpected {Describe()} in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
    }

    private string ReadName(bool allowColon)
    {
        var start = _position;
        while (!AtEnd && (IsNameStart(Current) || char.IsAsciiDigit(Current)) && (allowColon || Current != ':'))
        {
            _position++;
        }
        var name = _text[start.._position];
        return MetricNames.IsValidMetricName(name) ? name : throw Error(start, $"invalid name {GoQuote.Quote(name)}");
    }

    /// <summary>A Go string literal at the current position (strconv.Unquote's rules).</summary>
    private string ReadString()
    {
        var quoteAt = _position;
        var quote = _text[_position++];
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd || (quote != '`' && Current == '\n'))
            {
                throw Error(quoteAt, "unterminated quoted string");
            }
            var c = _text[_position++];
            if (c == quote)
            {
                return value.ToString();
            }
            if (c != '\\' || quote == '`')
            {
                value.Append(c);
                continue;
            }
            if (AtEnd)
            {
                throw Error(quoteAt, "unterminated quoted string");
            }
            var escapeAt = _position - 1;
            var escape = _text[_position++];
            switch (escape)
            {
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case 'v': value.Append('\v'); break;
                case '\\': value.Append('\\'); break;
                case '"' or '\'' when escape == quote: value.Append(escape); break;
                case 'x': AppendCodePoint(value, ReadHex(2, escapeAt), escapeAt); break;
                case 'u': AppendCodePoint(value, ReadHex(4, escapeAt), escapeAt); break;
                case 'U': AppendCodePoint(value, ReadHex(8, escapeAt), escapeAt); break;
                case >= '0' and <= '7':
                    _position--;
                    AppendCodePoint(value, ReadOctal(escapeAt), escapeAt);
                    break;
                default:
                    throw Error(escapeAt, "unknown escape sequence");
            }
        }
    }

    private int ReadHex(int digits, int escapeAt)
    {
        if (_position + digits > _text.Length
            || !int.TryParse(_text.AsSpan(_position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            throw Error(escapeAt, "illegal character in escape sequence");
        }
        _position += digits;
        return code;
    }

    private int ReadOctal(int escapeAt)
    {
        var code = 0;
        for (var i = 0; i < 3; i++)
        {
            if (AtEnd || Current is < '0' or > '7')
            {
                throw Error(escapeAt, "illegal character in escape sequence");
            }
            code = code * 8 + (_text[_position++] - '0');
        }
        return code;
    }

    private void AppendCodePoint(StringBuilder value, int code, int escapeAt)
    {
        if (!Rune.IsValid(code))
        {
            throw Error(escapeAt, "escape sequence is an invalid Unicode code point");
        }
        value.Append(new Rune(code).ToString());
    }

    private bool Match(string token)
    {
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            return false;
        }
        _position += token.Length;
        return true;
    }

    private readonly bool AtEnd => _position >= _text.Length;

    private readonly char Current => _text[_position];

    private readonly string Describe() => AtEnd ? "end of input" : $"character {GoQuote.Quote(Current.ToString())}";

    private static bool IsNameStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':';

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            _position++;
        }
    }

    /// <summary>An error at <paramref name="offset"/>, reported as 1-based line and column like Prometheus' parser.</summary>
    private readonly SelectorParseException Error(int offset, string reason)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < _text.Length; i++)
        {
            if (_text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new SelectorParseException(line, offset - lineStart + 1, reason);
    }
}
