using System.Buffers;
using System.Globalization;
using System.Text;

namespace Kansoku.PromQL.Parser;

/// <summary>
/// PromQL's lexer over the query's UTF-8 bytes, with Prometheus' states: statements, inside braces (label matchers),
/// and inside brackets (ranges and subquery steps, where durations and duration expressions are lexed). It reports
/// the first bad item as a <see cref="TokenKind.Error"/> token with <see cref="ErrorMessage"/> set, as Prometheus'
/// lexer does, and returns end of input from then on.
/// </summary>
internal ref struct Lexer
{
    private static readonly SearchValues<byte> s_durationUnits = SearchValues.Create("smhdwy"u8);
    private static readonly SearchValues<byte> s_durationRepeatUnits = SearchValues.Create("smhdw"u8);

    private readonly ReadOnlySpan<byte> _input;
    private int _position;
    private int _start;
    private int _parenDepth;
    private bool _braceOpen;
    private bool _bracketOpen;
    private bool _gotColon;
    private bool _gotDuration;
    private bool _inDurationExpression;
    private bool _failed;

    public Lexer(ReadOnlySpan<byte> input)
    {
        _input = input;
    }

    public string? ErrorMessage { get; private set; }

    /// <summary>The next item; comments are returned too (the parser skips them).</summary>
    public Token Next()
    {
        if (_failed)
        {
            return new Token(TokenKind.EndOfInput, _input.Length, _input.Length);
        }
        while (true)
        {
            _start = _position;
            var token = _braceOpen ? LexInsideBraces() : _inDurationExpression ? LexDurationExpression() : LexStatement();
            if (token is { } found)
            {
                return found;
            }
        }
    }

    private Token? LexStatement()
    {
        if (Peek() == '#')
        {
            return LexComment();
        }
        var c = NextByte();
        switch (c)
        {
            case -1:
                if (_parenDepth != 0)
                {
                    return Fail("unclosed left parenthesis");
                }
                return _bracketOpen ? Fail("unclosed left bracket") : Emit(TokenKind.EndOfInput);
            case ',':
                return Emit(TokenKind.Comma);
            case ' ' or '\t' or '\n' or '\r':
                SkipSpaces();
                return null;
            case '*':
                return Emit(TokenKind.Mul);
            case '/':
                return Emit(TokenKind.Div);
            case '%':
                return Emit(TokenKind.Mod);
            case '+':
                return Emit(TokenKind.Add);
            case '-':
                return Emit(TokenKind.Sub);
            case '^':
                return Emit(TokenKind.Pow);
            case '=':
                if (Peek() == '=')
                {
                    _position++;
                    return Emit(TokenKind.EqualEqual);
                }
                return Peek() == '~'
                    ? Fail("unexpected character after '=': " + QuoteRune(_position))
                    : Emit(TokenKind.Assign);
            case '!':
                if (Peek() != '=')
                {
                    var message = "unexpected character after '!': " + QuoteRune(_position);
                    return Fail(message);
                }
                _position++;
                return Emit(TokenKind.NotEqual);
            case '<':
                return Peek() switch
                {
                    '=' => EmitAfter(TokenKind.LessEqual),
                    '/' => EmitAfter(TokenKind.TrimUpper),
                    _ => Emit(TokenKind.Less),
                };
            case '>':
                return Peek() switch
                {
                    '=' => EmitAfter(TokenKind.GreaterEqual),
                    '/' => EmitAfter(TokenKind.TrimLower),
                    _ => Emit(TokenKind.Greater),
                };
            case '"' or '\'':
                return LexString((byte)c);
            case '`':
                return LexRawString();
            case '(':
                _parenDepth++;
                return Emit(TokenKind.LeftParen);
            case ')':
                _parenDepth--;
                return _parenDepth < 0 ? FailAfterEmit("unexpected right parenthesis ')'") : Emit(TokenKind.RightParen);
            case '{':
                _braceOpen = true;
                return Emit(TokenKind.LeftBrace);
            case '[':
                return LexLeftBracket();
            case ']':
                if (!_bracketOpen)
                {
                    return Fail("unexpected right bracket ']'");
                }
                _bracketOpen = false;
                return Emit(TokenKind.RightBracket);
            case '@':
                return Emit(TokenKind.At);
        }
        if (IsDigit(c) || (c == '.' && IsDigit(Peek())))
        {
            _position--;
            return LexNumberOrDuration();
        }
        if (IsAlpha(c) || c == ':')
        {
            if (!_bracketOpen)
            {
                _position--;
                return LexKeywordOrIdentifier();
            }
            if (c == ':')
            {
                if (_gotColon)
                {
                    return Fail("unexpected colon ':'");
                }
                _gotColon = true;
                return Emit(TokenKind.Colon);
            }
            if (IsDurationKeywordStart(c) && LexDurationKeyword() is { } keyword)
            {
                return keyword;
            }
            return Fail("unexpected character: " + QuoteRune(_start) + ", expected ':'");
        }
        return Fail("unexpected character: " + QuoteRune(_start));
    }

    private Token LexLeftBracket()
    {
        if (_bracketOpen)
        {
            return Fail("unexpected left bracket '['");
        }
        _gotColon = false;
        var token = Emit(TokenKind.LeftBracket);
        SkipSpaces();
        _bracketOpen = true;
        _inDurationExpression = true;
        return token;
    }

    private Token? LexDurationExpression()
    {
        var c = NextByte();
        switch (c)
        {
            case -1:
                return Fail("unexpected end of input in duration expression");
            case ']':
                _bracketOpen = false;
                _gotColon = false;
                _inDurationExpression = false;
                return Emit(TokenKind.RightBracket);
            case ':':
                if (!_gotDuration)
                {
                    _start = _position;
                    return Fail("unexpected colon before duration in duration expression");
                }
                if (_gotColon)
                {
                    _start = _position;
                    return Fail("unexpected repeated colon in duration expression");
                }
                _gotColon = true;
                return Emit(TokenKind.Colon);
            case '(':
                _parenDepth++;
                return Emit(TokenKind.LeftParen);
            case ')':
                _parenDepth--;
                return _parenDepth < 0 ? FailAfterEmit("unexpected right parenthesis ')'") : Emit(TokenKind.RightParen);
            case ' ' or '\t' or '\n' or '\r':
                SkipSpaces();
                return null;
            case '+':
                return Emit(TokenKind.Add);
            case '-':
                return Emit(TokenKind.Sub);
            case '*':
                return Emit(TokenKind.Mul);
            case '/':
                return Emit(TokenKind.Div);
            case '%':
                return Emit(TokenKind.Mod);
            case '^':
                return Emit(TokenKind.Pow);
            case ',':
                return Emit(TokenKind.Comma);
        }
        if (IsDurationKeywordStart(c))
        {
            return LexDurationKeyword() ?? Fail("unexpected character in duration expression: " + QuoteRune(_start));
        }
        if (IsDigit(c) || (c == '.' && IsDigit(Peek())))
        {
            _position--;
            _gotDuration = true;
            _inDurationExpression = false;
            return LexNumberOrDuration();
        }
        return Fail("unexpected character in duration expression: " + QuoteRune(_start));
    }

    private Token? LexInsideBraces()
    {
        if (Peek() == '#')
        {
            return LexComment();
        }
        var c = NextByte();
        switch (c)
        {
            case -1:
                return Fail("unexpected end of input inside braces");
            case ' ' or '\t' or '\n' or '\r':
                SkipSpaces();
                return null;
            case ',':
                return Emit(TokenKind.Comma);
            case '"' or '\'':
                return LexString((byte)c);
            case '`':
                return LexRawString();
            case '=':
                return Peek() == '~' ? EmitAfter(TokenKind.RegexMatch) : Emit(TokenKind.Assign);
            case '!':
                return Peek() switch
                {
                    '~' => EmitAfter(TokenKind.RegexNoMatch),
                    '=' => EmitAfter(TokenKind.NotEqual),
                    _ => Fail("unexpected character after '!' inside braces: " + QuoteRune(_position)),
                };
            case '{':
                return Fail("unexpected left brace '{'");
            case '}':
                _braceOpen = false;
                return Emit(TokenKind.RightBrace);
        }
        if (IsAlpha(c))
        {
            while (IsAlphaNumeric(Peek()))
            {
                _position++;
            }
            return Emit(TokenKind.Identifier);
        }
        return Fail("unexpected character inside braces: " + QuoteRune(_start));
    }

    private Token LexComment()
    {
        while (_position < _input.Length && _input[_position] is not ((byte)'\n' or (byte)'\r'))
        {
            _position++;
        }
        return Emit(TokenKind.Comment);
    }

    private Token LexString(byte quote)
    {
        while (true)
        {
            var c = NextByte();
            if (c == '\\')
            {
                if (LexEscape(quote) is { } error)
                {
                    return Fail(error);
                }
                continue;
            }
            if (c is -1 or '\n')
            {
                return Fail("unterminated quoted string");
            }
            if (c == quote)
            {
                return Emit(TokenKind.String);
            }
            if (c >= 0x80 && !SkipRune())
            {
                return Fail("invalid UTF-8 rune");
            }
        }
    }

    /// <summary>Checks one escape after a backslash; returns Prometheus' message when it is malformed.</summary>
    private string? LexEscape(byte quote)
    {
        var c = NextByte();
        int digits;
        int radix;
        int max;
        switch (c)
        {
            case 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or '\\':
                return null;
            case >= '0' and <= '7':
                (digits, radix, max) = (3, 8, 255);
                _position--;
                break;
            case 'x':
                (digits, radix, max) = (2, 16, 255);
                break;
            case 'u':
                (digits, radix, max) = (4, 16, 0x10FFFF);
                break;
            case 'U':
                (digits, radix, max) = (8, 16, 0x10FFFF);
                break;
            case -1:
                return "escape sequence not terminated";
            default:
                if (c == quote)
                {
                    return null;
                }
                _position--;
                return "unknown escape sequence " + FormatRune(_position);
        }
        long value = 0;
        for (var i = 0; i < digits; i++)
        {
            var d = NextByte();
            if (d == -1)
            {
                return "escape sequence not terminated";
            }
            var digit = StringLiterals.HexValue((byte)d);
            if (digit >= radix)
            {
                _position--;
                return "illegal character " + FormatRune(_position) + " in escape sequence";
            }
            value = (value * radix) + digit;
        }
        return value > max || value is >= 0xD800 and < 0xE000 ? "escape sequence is an invalid Unicode code point" : null;
    }

    private Token LexRawString()
    {
        while (true)
        {
            var c = NextByte();
            if (c == -1)
            {
                return Fail("unterminated raw string");
            }
            if (c == '`')
            {
                return Emit(TokenKind.String);
            }
            if (c >= 0x80 && !SkipRune())
            {
                return Fail("invalid UTF-8 rune");
            }
        }
    }

    private Token LexNumberOrDuration()
    {
        if (ScanNumber())
        {
            return Emit(TokenKind.Number);
        }
        if (AcceptRemainingDuration())
        {
            return Emit(TokenKind.Duration);
        }
        return Fail("bad number or duration syntax: " + StringLiterals.Quote(Text(_start, _position)));
    }

    /// <summary>Prometheus' number scanner: decimal or hex digits, one dot, one exponent, and '_' between digits.</summary>
    private bool ScanNumber()
    {
        var initial = _position;
        var hex = false;
        if (Accept('0') && (Accept('x') || Accept('X')))
        {
            Accept('_');
            hex = true;
        }
        Accept('.');
        AcceptDigit(hex);
        var dotConsumed = false;
        var exponentConsumed = false;
        while (IsDigitOf(Peek(), hex) || Peek() is '.' or '_' or 'e' or 'E')
        {
            if (Peek() == '.')
            {
                if (dotConsumed)
                {
                    _position++;
                    return false;
                }
                _position++;
                dotConsumed = true;
                if (Accept('_') || Accept('.'))
                {
                    return false;
                }
                if (hex)
                {
                    return false;
                }
                continue;
            }
            if (Peek() is 'e' or 'E')
            {
                if (exponentConsumed)
                {
                    _position++;
                    return false;
                }
                _position++;
                exponentConsumed = true;
                _ = Accept('+') || Accept('-');
                if (Peek() is '.' or '_' or 'e' or 'E' or -1)
                {
                    if (Peek() != -1)
                    {
                        _position++;
                    }
                    return false;
                }
                continue;
            }
            if (Peek() == '_')
            {
                _position++;
                if (Peek() is '.' or '_' or 'e' or 'E' or -1)
                {
                    if (Peek() != -1)
                    {
                        _position++;
                    }
                    return false;
                }
                continue;
            }
            while (IsDigitOf(Peek(), hex))
            {
                _position++;
            }
        }
        return _position != initial && !IsAlphaNumeric(Peek());
    }

    private bool AcceptRemainingDuration()
    {
        if (_position >= _input.Length || !s_durationUnits.Contains(_input[_position]))
        {
            return false;
        }
        _position++;
        Accept('s');
        while (IsDigit(Peek()))
        {
            while (IsDigit(Peek()))
            {
                _position++;
            }
            if (_position >= _input.Length || !s_durationRepeatUnits.Contains(_input[_position]))
            {
                return false;
            }
            _position++;
            Accept('s');
        }
        if (IsAlphaNumeric(Peek()))
        {
            _position++;
            return false;
        }
        return true;
    }

    private Token LexKeywordOrIdentifier()
    {
        var hasColon = false;
        while (IsAlphaNumeric(Peek()) || Peek() == ':')
        {
            hasColon |= _input[_position] == ':';
            _position++;
        }
        var word = _input[_start.._position];
        if (Keywords.TryGet(word, out var keyword))
        {
            if (keyword is TokenKind.Fill or TokenKind.FillLeft or TokenKind.FillRight && !FollowedByLeftParen())
            {
                return Emit(TokenKind.Identifier);
            }
            return Emit(keyword);
        }
        return Emit(hasColon ? TokenKind.MetricIdentifier : TokenKind.Identifier);
    }

    private Token? LexDurationKeyword()
    {
        while (IsAlpha(Peek()))
        {
            _position++;
        }
        if (Keywords.TryGet(_input[_start.._position], out var keyword)
            && keyword is TokenKind.Step or TokenKind.Range or TokenKind.MaxOf or TokenKind.MinOf)
        {
            return Emit(keyword);
        }
        return null;
    }

    private readonly bool FollowedByLeftParen()
    {
        for (var i = _position; i < _input.Length; i++)
        {
            if (_input[i] is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                return _input[i] == '(';
            }
        }
        return false;
    }

    private static bool IsDurationKeywordStart(int c) => c is 's' or 'S' or 'r' or 'R' or 'm' or 'M';

    private void SkipSpaces()
    {
        while (Peek() is ' ' or '\t' or '\n' or '\r')
        {
            _position++;
        }
    }

    private bool SkipRune()
    {
        _position--;
        var status = Rune.DecodeFromUtf8(_input[_position..], out _, out var consumed);
        _position += consumed;
        return status == OperationStatus.Done;
    }

    private Token Emit(TokenKind kind) => new(kind, _start, _position);

    private Token EmitAfter(TokenKind kind)
    {
        _position++;
        return Emit(kind);
    }

    private Token Fail(string message)
    {
        ErrorMessage = message;
        _failed = true;
        return new Token(TokenKind.Error, _start, _input.Length);
    }

    /// <summary>For errors Prometheus raises after emitting the item: the error starts after it.</summary>
    private Token FailAfterEmit(string message)
    {
        _start = _position;
        return Fail(message);
    }

    private int NextByte() => _position < _input.Length ? _input[_position++] : -1;

    private readonly int Peek() => _position < _input.Length ? _input[_position] : -1;

    private bool Accept(char c)
    {
        if (Peek() == c)
        {
            _position++;
            return true;
        }
        return false;
    }

    private void AcceptDigit(bool hex)
    {
        if (IsDigitOf(Peek(), hex))
        {
            _position++;
        }
    }

    private readonly string Text(int start, int end) => Encoding.UTF8.GetString(_input[start..end]);

    /// <summary>Go's <c>%q</c> of the rune at <paramref name="offset"/>: <c>'x'</c>.</summary>
    private readonly string QuoteRune(int offset)
    {
        if (offset >= _input.Length)
        {
            return "'\\x00'";
        }
        Rune.DecodeFromUtf8(_input[offset..], out var rune, out _);
        if (rune.Value == '\'')
        {
            return "'\\''";
        }
        var text = new StringBuilder("'");
        StringLiterals.AppendEscaped(text, rune.ToString(), '\'');
        return text.Append('\'').ToString();
    }

    /// <summary>Go's <c>%#U</c> of the rune at <paramref name="offset"/>: <c>U+0061 'a'</c>.</summary>
    private readonly string FormatRune(int offset)
    {
        Rune.DecodeFromUtf8(_input[offset..], out var rune, out _);
        var code = "U+" + rune.Value.ToString("X4", CultureInfo.InvariantCulture);
        return Rune.IsControl(rune) ? code : code + " '" + rune + "'";
    }

    private static bool IsDigit(int c) => c is >= '0' and <= '9';

    private static bool IsDigitOf(int c, bool hex) => IsDigit(c) || (hex && c is >= 'a' and <= 'f' or >= 'A' and <= 'F');

    private static bool IsAlpha(int c) => c is '_' or >= 'a' and <= 'z' or >= 'A' and <= 'Z';

    private static bool IsAlphaNumeric(int c) => IsAlpha(c) || IsDigit(c);
}
