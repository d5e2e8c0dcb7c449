namespace Kansoku.LogQL.Parser;

/// <summary>The kinds of LogQL tokens. Words (label names, keywords, function names) are all <see cref="Identifier"/>:
/// the parser decides from context whether a word is a keyword, so keywords stay usable as label names.</summary>
internal enum TokenKind
{
    End,
    /// <summary>A character that starts no token; always a syntax error.</summary>
    Invalid,
    Identifier,
    /// <summary>A double-quoted or backtick string; <see cref="Token.Text"/> holds the decoded value.</summary>
    String,
    Number,
    /// <summary>A number with a duration unit (<c>5m</c>, <c>1h30m</c>, <c>-250ms</c>).</summary>
    Duration,
    /// <summary>A number with a byte unit (<c>10KB</c>, <c>5MiB</c>).</summary>
    Bytes,
    /// <summary><c>[5m]</c> as one token.</summary>
    Range,
    /// <summary>A parser flag: <c>--strict</c>, <c>--keep-empty</c>.</summary>
    Flag,
    LeftBrace,
    RightBrace,
    LeftParen,
    RightParen,
    Comma,
    /// <summary><c>=</c></summary>
    Equal,
    /// <summary><c>==</c></summary>
    EqualEqual,
    /// <summary><c>!=</c> (a line filter, a matcher or a comparison, depending on context)</summary>
    NotEqual,
    /// <summary><c>=~</c></summary>
    RegexMatch,
    /// <summary><c>!~</c></summary>
    RegexNoMatch,
    /// <summary><c>!&gt;</c></summary>
    PatternNoMatch,
    /// <summary><c>|=</c></summary>
    PipeExact,
    /// <summary><c>|~</c></summary>
    PipeRegex,
    /// <summary><c>|&gt;</c></summary>
    PipePattern,
    /// <summary><c>|</c></summary>
    Pipe,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
}
