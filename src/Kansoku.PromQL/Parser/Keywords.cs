using System.Collections.Frozen;
using System.Text;

namespace Kansoku.PromQL.Parser;

/// <summary>PromQL's keywords (matched case-insensitively, as Prometheus' lexer does) and how items are named in errors.</summary>
internal static class Keywords
{
    private static readonly (string Text, TokenKind Kind)[] s_keywords =
    [
        ("and", TokenKind.And), ("or", TokenKind.Or), ("unless", TokenKind.Unless), ("atan2", TokenKind.Atan2),
        ("sum", TokenKind.Sum), ("avg", TokenKind.Avg), ("count", TokenKind.Count), ("min", TokenKind.Min),
        ("max", TokenKind.Max), ("group", TokenKind.Group), ("stddev", TokenKind.Stddev), ("stdvar", TokenKind.Stdvar),
        ("topk", TokenKind.Topk), ("bottomk", TokenKind.Bottomk), ("count_values", TokenKind.CountValues),
        ("quantile", TokenKind.Quantile), ("limitk", TokenKind.Limitk), ("limit_ratio", TokenKind.LimitRatio),
        ("offset", TokenKind.Offset), ("smoothed", TokenKind.Smoothed), ("anchored", TokenKind.Anchored),
        ("by", TokenKind.By), ("without", TokenKind.Without), ("on", TokenKind.On), ("ignoring", TokenKind.Ignoring),
        ("group_left", TokenKind.GroupLeft), ("group_right", TokenKind.GroupRight), ("fill", TokenKind.Fill),
        ("fill_left", TokenKind.FillLeft), ("fill_right", TokenKind.FillRight), ("bool", TokenKind.Bool),
        ("start", TokenKind.Start), ("end", TokenKind.End), ("step", TokenKind.Step), ("range", TokenKind.Range),
        ("max_of", TokenKind.MaxOf), ("min_of", TokenKind.MinOf),
    ];

    private static readonly FrozenDictionary<string, TokenKind> s_byText = BuildByText();

    private static readonly FrozenDictionary<string, TokenKind>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_byText.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The keyword an ASCII word spells, case-insensitively; "inf" and "nan" are numbers.</summary>
    public static bool TryGet(ReadOnlySpan<byte> word, out TokenKind kind)
    {
        kind = TokenKind.Identifier;
        if (word.Length > 16)
        {
            return false;
        }
        Span<char> chars = stackalloc char[word.Length];
        for (var i = 0; i < word.Length; i++)
        {
            chars[i] = (char)word[i];
        }
        if (chars.Equals("inf", StringComparison.OrdinalIgnoreCase) || chars.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            kind = TokenKind.Number;
            return true;
        }
        return s_lookup.TryGetValue(chars, out kind);
    }

    public static bool IsKeyword(this TokenKind kind) => kind >= TokenKind.And;

    /// <summary>
    /// How Prometheus' "unexpected ..." errors name an item (Item.desc): <c>end of input</c>, <c>&lt;by&gt;</c> for
    /// keywords, <c>&lt;op:*&gt;</c> for operators, <c>&lt;aggr:sum&gt;</c> for aggregations, <c>"("</c> for punctuation,
    /// and <c>identifier "foo"</c>, <c>number "1"</c>, <c>string "\"abcdefghi..."</c> (cut after 10 characters) otherwise.
    /// </summary>
    public static string Describe(TokenKind kind, ReadOnlySpan<byte> text)
    {
        var value = Encoding.UTF8.GetString(text);
        return kind switch
        {
            TokenKind.EndOfInput => "end of input",
            TokenKind.Error => value,
            TokenKind.Identifier => "identifier " + StringLiterals.Quote(value),
            TokenKind.MetricIdentifier => "metric identifier " + StringLiterals.Quote(value),
            TokenKind.String => "string " + QuoteShort(value),
            TokenKind.Number => "number " + QuoteShort(value),
            TokenKind.Duration => "duration " + QuoteShort(value),
            TokenKind.Comment => "comment " + QuoteShort(value),
            _ when IsAggregation(kind) => "<aggr:" + value + ">",
            _ when IsOperator(kind) => "<op:" + value + ">",
            _ when kind.IsKeyword() && kind < TokenKind.Start => "<" + value + ">",
            _ => QuoteShort(value),
        };
    }

    private static bool IsAggregation(TokenKind kind) => kind is >= TokenKind.Sum and <= TokenKind.LimitRatio;

    private static bool IsOperator(TokenKind kind) =>
        kind is (>= TokenKind.Add and <= TokenKind.At) and not (TokenKind.Assign or TokenKind.Colon)
            or TokenKind.And or TokenKind.Or or TokenKind.Unless or TokenKind.Atan2;

    /// <summary>Go's <c>%.10q</c> followed by "..." for text over 10 bytes, else <c>%q</c>.</summary>
    private static string QuoteShort(string value)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(value) <= 10)
        {
            return StringLiterals.Quote(value);
        }
        var runes = 0;
        var cut = 0;
        while (cut < value.Length && runes < 10)
        {
            cut += char.IsHighSurrogate(value[cut]) && cut + 1 < value.Length ? 2 : 1;
            runes++;
        }
        return StringLiterals.Quote(value[..cut]) + "...";
    }

    /// <summary>The fixed text of an operator, punctuation or keyword item.</summary>
    public static string Text(TokenKind kind)
    {
        foreach (var (text, keyword) in s_keywords)
        {
            if (keyword == kind)
            {
                return text;
            }
        }
        return kind switch
        {
            TokenKind.LeftParen => "(",
            TokenKind.RightParen => ")",
            TokenKind.LeftBrace => "{",
            TokenKind.RightBrace => "}",
            TokenKind.LeftBracket => "[",
            TokenKind.RightBracket => "]",
            TokenKind.Comma => ",",
            TokenKind.Assign => "=",
            TokenKind.Colon => ":",
            TokenKind.Add => "+",
            TokenKind.Sub => "-",
            TokenKind.Mul => "*",
            TokenKind.Div => "/",
            TokenKind.Mod => "%",
            TokenKind.Pow => "^",
            TokenKind.EqualEqual => "==",
            TokenKind.NotEqual => "!=",
            TokenKind.LessEqual => "<=",
            TokenKind.Less => "<",
            TokenKind.GreaterEqual => ">=",
            TokenKind.Greater => ">",
            TokenKind.TrimUpper => "</",
            TokenKind.TrimLower => ">/",
            TokenKind.RegexMatch => "=~",
            TokenKind.RegexNoMatch => "!~",
            TokenKind.At => "@",
            _ => kind.ToString(),
        };
    }

    private static FrozenDictionary<string, TokenKind> BuildByText()
    {
        var byText = new Dictionary<string, TokenKind>(s_keywords.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var (text, kind) in s_keywords)
        {
            byText.Add(text, kind);
        }
        return byText.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
