using System.Globalization;

namespace Kansoku.LogQL.Parser;

/// <summary>
/// The LogQL tokenizer: a copyable cursor over the query (copy it to look ahead). It follows Loki's lexer: <c>#</c>
/// comments to the end of the line, <c>[5m]</c> as one range token, a number directly followed by a duration or byte
/// unit as one duration/bytes token (<c>-5m</c> too), and <c>--strict</c>/<c>--keep-empty</c> flags. Malformed strings
/// and ranges throw <see cref="LogQLParseException"/>; an unknown character becomes an <see cref="TokenKind.Invalid"/>
/// token that the parser reports as a syntax error.
/// </summary>
internal ref struct Lexer
{
    private readonly ReadOnlySpan<char> _source;
    private int _position;

    public Lexer(ReadOnlySpan<char> source)
    {
        _source = source;
    }

    public Token Next()
    {
        SkipTrivia();
        var start = _position;
        if (start >= _source.Length)
        {
            return new Token(TokenKind.End, start, start);
        }
        var c = _source[start];
        var next = start + 1 < _source.Length ? _source[start + 1] : '\0';
        switch (c)
        {
            case '{': return Simple(TokenKind.LeftBrace, 1);
            case '}': return Simple(TokenKind.RightBrace, 1);
            case '(': return Simple(TokenKind.LeftParen, 1);
            case ')': return Simple(TokenKind.RightParen, 1);
            case ',': return Simple(TokenKind.Comma, 1);
            case '+': return Simple(TokenKind.Plus, 1);
            case '*': return Simple(TokenKind.Star, 1);
            case '/': return Simple(TokenKind.Slash, 1);
            case '%': return Simple(TokenKind.Percent, 1);
            case '^': return Simple(TokenKind.Caret, 1);
            case '"': return ScanQuoted(start);
            case '`': return ScanRaw(start);
            case '[': return ScanRange(start);
            case '|':
                return next switch
                {
                    '=' => Simple(TokenKind.PipeExact, 2),
                    '~' => Simple(TokenKind.PipeRegex, 2),
                    '>' => Simple(TokenKind.PipePattern, 2),
                    _ => Simple(TokenKind.Pipe, 1),
                };
            case '!':
                return next switch
                {
                    '=' => Simple(TokenKind.NotEqual, 2),
                    '~' => Simple(TokenKind.RegexNoMatch, 2),
                    '>' => Simple(TokenKind.PatternNoMatch, 2),
                    _ => Simple(TokenKind.Invalid, 1),
                };
            case '=':
                return next switch
                {
                    '=' => Simple(TokenKind.EqualEqual, 2),
                    '~' => Simple(TokenKind.RegexMatch, 2),
                    _ => Simple(TokenKind.Equal, 1),
                };
            case '>': return next == '=' ? Simple(TokenKind.GreaterOrEqual, 2) : Simple(TokenKind.Greater, 1);
            case '<': return next == '=' ? Simple(TokenKind.LessOrEqual, 2) : Simple(TokenKind.Less, 1);
            case '-': return ScanMinus(start);
            default:
                break;
        }
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(next)))
        {
            return ScanNumber(start);
        }
        if (c == '_' || char.IsLetter(c))
        {
            var end = start + 1;
            while (end < _source.Length && (_source[end] == '_' || char.IsLetterOrDigit(_source[end])))
            {
                end++;
            }
            _position = end;
            return new Token(TokenKind.Identifier, start, end);
        }
        return Simple(TokenKind.Invalid, char.IsHighSurrogate(c) && char.IsLowSurrogate(next) ? 2 : 1);
    }

    private void SkipTrivia()
    {
        while (_position < _source.Length)
        {
            var c = _source[_position];
            if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '#')
            {
                var newline = _source[_position..].IndexOf('\n');
                _position = newline < 0 ? _source.Length : _position + newline + 1;
            }
            else
            {
                return;
            }
        }
    }

    private Token Simple(TokenKind kind, int length)
    {
        var start = _position;
        _position += length;
        return new Token(kind, start, _position);
    }

    private Token ScanQuoted(int start)
    {
        var end = start + 1;
        while (end < _source.Length && _source[end] != '"' && _source[end] != '\n')
        {
            end += _source[end] == '\\' && end + 1 < _source.Length && _source[end + 1] != '\n' ? 2 : 1;
        }
        if (end >= _source.Length || _source[end] != '"')
        {
            throw LogQLParseException.At(_source, start, "literal not terminated");
        }
        var error = StringLiterals.TryUnescape(_source[(start + 1)..end], out var value, out var errorIndex);
        if (error is not null)
        {
            throw LogQLParseException.At(_source, start + 1 + errorIndex, error);
        }
        _position = end + 1;
        return new Token(TokenKind.String, start, _position) { Text = value };
    }

    private Token ScanRaw(int start)
    {
        var close = _source[(start + 1)..].IndexOf('`');
        if (close < 0)
        {
            throw LogQLParseException.At(_source, start, "literal not terminated");
        }
        var body = _source.Slice(start + 1, close);
        var invalid = StringLiterals.FindInvalidSurrogate(body);
        if (invalid >= 0)
        {
            throw LogQLParseException.At(_source, start + 1 + invalid, "invalid UTF-8 encoding");
        }
        _position = start + close + 2;
        // Go drops carriage returns from raw strings.
        var value = body.Contains('\r') ? new string(body).Replace("\r", "", StringComparison.Ordinal) : new string(body);
        return new Token(TokenKind.String, start, _position) { Text = value };
    }

    private Token ScanRange(int start)
    {
        var close = _source[(start + 1)..].IndexOf(']');
        if (close < 0)
        {
            throw LogQLParseException.At(_source, start, "missing closing ']' in duration");
        }
        var body = _source.Slice(start + 1, close);
        if (!Durations.TryParse(body, allowSign: false, out var range, out var error))
        {
            throw LogQLParseException.At(_source, start + 1, error!);
        }
        _position = start + close + 2;
        return new Token(TokenKind.Range, start, _position) { Duration = range };
    }

    private Token ScanMinus(int start)
    {
        var i = start + 1;
        if (i < _source.Length && _source[i] == '-')
        {
            var end = i + 1;
            while (end < _source.Length && (char.IsLetter(_source[end]) || _source[end] == '-'))
            {
                end++;
            }
            var flag = _source[start..end];
            if (flag is "--strict" or "--keep-empty")
            {
                _position = end;
                return new Token(TokenKind.Flag, start, end) { Text = new string(flag) };
            }
        }
        // "-5m" is a negative duration (label filters, offsets); "-5" stays a minus and a number.
        if (i < _source.Length && (char.IsAsciiDigit(_source[i]) || _source[i] == '.'))
        {
            var numberEnd = NumberEnd(i);
            var durationEnd = RunEnd(numberEnd, isBytes: false);
            if (durationEnd > numberEnd && Durations.TryParse(_source[start..durationEnd], allowSign: true, out var duration, out _))
            {
                _position = durationEnd;
                return new Token(TokenKind.Duration, start, durationEnd) { Duration = duration };
            }
        }
        return Simple(TokenKind.Minus, 1);
    }

    private Token ScanNumber(int start)
    {
        var numberEnd = NumberEnd(start);
        if (numberEnd < _source.Length && (char.IsLetter(_source[numberEnd]) || _source[numberEnd] == 'µ'))
        {
            var durationEnd = RunEnd(numberEnd, isBytes: false);
            if (durationEnd > numberEnd && Durations.TryParse(_source[start..durationEnd], allowSign: false, out var duration, out _))
            {
                _position = durationEnd;
                return new Token(TokenKind.Duration, start, durationEnd) { Duration = duration };
            }
            var bytesEnd = RunEnd(numberEnd, isBytes: true);
            if (bytesEnd > numberEnd && ByteSizes.TryParse(_source[start..bytesEnd], out var bytes))
            {
                _position = bytesEnd;
                return new Token(TokenKind.Bytes, start, bytesEnd) { Bytes = bytes };
            }
        }
        var text = _source[start..numberEnd];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            throw LogQLParseException.At(_source, start, $"unable to parse literal as a float: \"{text}\"");
        }
        _position = numberEnd;
        return new Token(TokenKind.Number, start, numberEnd) { Number = number };
    }

    /// <summary>Digits, an optional fraction and an optional exponent (only when digits follow the <c>e</c>).</summary>
    private readonly int NumberEnd(int start)
    {
        var i = start;
        while (i < _source.Length && char.IsAsciiDigit(_source[i]))
        {
            i++;
        }
        if (i < _source.Length && _source[i] == '.')
        {
            i++;
            while (i < _source.Length && char.IsAsciiDigit(_source[i]))
            {
                i++;
            }
        }
        if (i < _source.Length && (_source[i] == 'e' || _source[i] == 'E'))
        {
            var exponent = i + 1;
            if (exponent < _source.Length && (_source[exponent] == '+' || _source[exponent] == '-'))
            {
                exponent++;
            }
            if (exponent < _source.Length && char.IsAsciiDigit(_source[exponent]))
            {
                i = exponent;
                while (i < _source.Length && char.IsAsciiDigit(_source[i]))
                {
                    i++;
                }
            }
        }
        return i;
    }

    /// <summary>How far a unit suffix may reach: digits, dots and unit characters, as Loki's tryScanDuration/tryScanBytes.</summary>
    private readonly int RunEnd(int start, bool isBytes)
    {
        var i = start;
        while (i < _source.Length)
        {
            var c = _source[i];
            if (!char.IsAsciiDigit(c) && c != '.' && !(isBytes ? ByteSizes.IsUnitChar(c) : Durations.IsUnitChar(c)))
            {
                break;
            }
            i++;
        }
        return i;
    }
}
