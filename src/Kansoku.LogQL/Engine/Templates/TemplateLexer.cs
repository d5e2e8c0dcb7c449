namespace Kansoku.LogQL.Engine.Templates;

/// <summary>
/// Splits a Go text/template into text and action tokens: <c>{{ }}</c> delimiters with <c>{{- </c>/<c> -}}</c> trim
/// markers, <c>{{/* comments */}}</c>, fields (<c>.a.b</c>), variables, identifiers, strings, raw strings, chars and
/// numbers.
/// </summary>
internal sealed class TemplateLexer
{
    private readonly string _text;
    private readonly string _name;
    private readonly List<TemplateToken> _tokens = [];
    private int _position;

    private TemplateLexer(string name, string text)
    {
        _name = name;
        _text = text;
    }

    public static List<TemplateToken> Tokenize(string name, string text)
    {
        var lexer = new TemplateLexer(name, text);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        var trimNext = false;
        while (_position < _text.Length)
        {
            var open = _text.IndexOf("{{", _position, StringComparison.Ordinal);
            var textEnd = open < 0 ? _text.Length : open;
            var trimLeft = open >= 0 && open + 3 < _text.Length && _text[open + 2] == '-' && IsSpace(_text[open + 3]);
            var text = _text[_position..textEnd];
            if (trimNext)
            {
                text = text.TrimStart(' ', '\t', '\r', '\n');
            }
            if (trimLeft)
            {
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            }
            if (text.Length > 0)
            {
                _tokens.Add(new TemplateToken(TemplateTokenKind.Text, text, _position));
            }
            if (open < 0)
            {
                break;
            }
            _position = open + (trimLeft ? 3 : 2);
            trimNext = LexAction(open);
        }
        _tokens.Add(new TemplateToken(TemplateTokenKind.End, "", _text.Length));
    }

    /// <summary>Lexes one action; returns whether it ends with a right trim marker.</summary>
    private bool LexAction(int open)
    {
        SkipSpaces();
        if (Peek("/*"))
        {
            var close = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error(open, "unclosed comment");
            }
            _position = close + 2;
            SkipSpaces();
            return ExpectRightDelimiter(open);
        }
        _tokens.Add(new TemplateToken(TemplateTokenKind.LeftDelimiter, "{{", open));
        while (true)
        {
            var hadSpace = SkipSpaces();
            if (_position >= _text.Length)
            {
                throw Error(open, "unclosed action");
            }
            if (Peek("-}}") && hadSpace || Peek("}}"))
            {
                var trim = _text[_position] == '-';
                _tokens.Add(new TemplateToken(TemplateTokenKind.RightDelimiter, "}}", _position));
                _position += trim ? 3 : 2;
                return trim;
            }
            if (hadSpace)
            {
                _tokens.Add(new TemplateToken(TemplateTokenKind.Space, " ", _position));
            }
            LexToken(open);
        }
    }

    private bool ExpectRightDelimiter(int open)
    {
        if (Peek("-}}"))
        {
            _position += 3;
            return true;
        }
        if (Peek("}}"))
        {
            _position += 2;
            return false;
        }
        throw Error(open, "comment ends before closing delimiter");
    }

    private void LexToken(int open)
    {
        var start = _position;
        var c = _text[_position];
        switch (c)
        {
            case '(':
                Add(TemplateTokenKind.LeftParen, 1);
                return;
            case ')':
                Add(TemplateTokenKind.RightParen, 1);
                return;
            case '|':
                Add(TemplateTokenKind.Pipe, 1);
                return;
            case ',':
                Add(TemplateTokenKind.Comma, 1);
                return;
            case ':' when Peek(":="):
                Add(TemplateTokenKind.Declare, 2);
                return;
            case '=':
                Add(TemplateTokenKind.Assign, 1);
                return;
            case '"':
                LexQuoted(open, '"', TemplateTokenKind.String);
                return;
            case '\'':
                LexQuoted(open, '\'', TemplateTokenKind.Char);
                return;
            case '`':
                var close = _text.IndexOf('`', _position + 1);
                if (close < 0)
                {
                    throw Error(open, "unterminated raw quoted string");
                }
                _tokens.Add(new TemplateToken(TemplateTokenKind.String, _text[(_position + 1)..close], start));
                _position = close + 1;
                return;
            case '$':
                _position++;
                SkipWord();
                _tokens.Add(new TemplateToken(TemplateTokenKind.Variable, _text[start.._position], start));
                LexFieldChain();
                return;
            case '.':
                if (_position + 1 < _text.Length && char.IsAsciiDigit(_text[_position + 1]))
                {
                    LexNumber();
                    return;
                }
                if (_position + 1 < _text.Length && IsWordChar(_text[_position + 1]))
                {
                    LexFieldChain();
                    return;
                }
                Add(TemplateTokenKind.Dot, 1);
                return;
            default:
                break;
        }
        if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && _position + 1 < _text.Length && (char.IsAsciiDigit(_text[_position + 1]) || _text[_position + 1] == '.')))
        {
            LexNumber();
            return;
        }
        if (IsWordChar(c))
        {
            SkipWord();
            var word = _text[start.._position];
            var kind = word switch
            {
                "true" or "false" => TemplateTokenKind.Bool,
                "nil" => TemplateTokenKind.Nil,
                _ => TemplateTokenKind.Identifier,
            };
            _tokens.Add(new TemplateToken(kind, word, start));
            LexFieldChain();
            return;
        }
        throw Error(start, $"unexpected {Describe(c)} in command");
    }

    /// <summary>Fields right after an operand (<c>.a.b</c>, <c>$x.a</c>) belong to it.</summary>
    private void LexFieldChain()
    {
        while (_position + 1 < _text.Length && _text[_position] == '.' && IsWordChar(_text[_position + 1]))
        {
            var start = _position;
            _position++;
            SkipWord();
            _tokens.Add(new TemplateToken(TemplateTokenKind.Field, _text[(start + 1).._position], start));
        }
    }

    private void LexQuoted(int open, char quote, TemplateTokenKind kind)
    {
        var start = _position;
        var i = _position + 1;
        while (i < _text.Length && _text[i] != quote)
        {
            if (_text[i] == '\\')
            {
                i++;
            }
            if (i < _text.Length && _text[i] == '\n')
            {
                throw Error(open, "unterminated quoted string");
            }
            i++;
        }
        if (i >= _text.Length)
        {
            throw Error(open, "unterminated quoted string");
        }
        _position = i + 1;
        _tokens.Add(new TemplateToken(kind, Unquote(_text[(start + 1)..i], open), start));
    }

    private void LexNumber()
    {
        var start = _position;
        if (_text[_position] is '+' or '-')
        {
            _position++;
        }
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '.' or '_'
            || (_text[_position] is '+' or '-' && _text[_position - 1] is 'e' or 'E' or 'p' or 'P')))
        {
            _position++;
        }
        _tokens.Add(new TemplateToken(TemplateTokenKind.Number, _text[start.._position], start));
    }

    private string Unquote(string body, int open)
    {
        if (!body.Contains('\\', StringComparison.Ordinal))
        {
            return body;
        }
        var text = new System.Text.StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\' || i + 1 >= body.Length)
            {
                text.Append(body[i]);
                continue;
            }
            var e = body[++i];
            switch (e)
            {
                case 'n': text.Append('\n'); break;
                case 't': text.Append('\t'); break;
                case 'r': text.Append('\r'); break;
                case 'a': text.Append('\a'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'v': text.Append('\v'); break;
                case '\\' or '"' or '\'': text.Append(e); break;
                case 'x' when i + 2 < body.Length:
                    text.Append((char)Convert.ToInt32(body.Substring(i + 1, 2), 16));
                    i += 2;
                    break;
                case 'u' when i + 4 < body.Length:
                    text.Append((char)Convert.ToInt32(body.Substring(i + 1, 4), 16));
                    i += 4;
                    break;
                case 'U' when i + 8 < body.Length:
                    text.Append(char.ConvertFromUtf32(Convert.ToInt32(body.Substring(i + 1, 8), 16)));
                    i += 8;
                    break;
                default:
                    throw Error(open, "invalid syntax");
            }
        }
        return text.ToString();
    }

    private void Add(TemplateTokenKind kind, int length)
    {
        _tokens.Add(new TemplateToken(kind, _text.Substring(_position, length), _position));
        _position += length;
    }

    private bool SkipSpaces()
    {
        var start = _position;
        while (_position < _text.Length && IsSpace(_text[_position]))
        {
            _position++;
        }
        return _position > start;
    }

    private void SkipWord()
    {
        while (_position < _text.Length && IsWordChar(_text[_position]))
        {
            _position++;
        }
    }

    private bool Peek(string value) => string.CompareOrdinal(_text, _position, value, 0, value.Length) == 0;

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static string Describe(char c) => $"<{c}>";

    private TemplateException Error(int offset, string message) =>
        new($"template: {_name}:{TemplateSource.Line(_text, offset)}: {message}");
}
