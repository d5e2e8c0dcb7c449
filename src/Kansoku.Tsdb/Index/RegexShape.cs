using System.Buffers;

namespace Kansoku.Tsdb.Index;

/// <summary>
/// Regexes that label matchers use most, recognised so postings can be found without running the regex on every value
/// (as Prometheus' FastRegexMatcher): <c>.*</c>, <c>.+</c>, literal alternations <c>a|b|c</c> and prefixes <c>abc.*</c>.
/// </summary>
internal sealed class RegexShape
{
    private static readonly SearchValues<char> s_metaCharacters = SearchValues.Create("\\.+*?()[]{}^$|");

    private RegexShape(RegexShapeKind kind, string[] literals)
    {
        Kind = kind;
        Literals = literals;
    }

    public RegexShapeKind Kind { get; }

    /// <summary>The alternatives for <see cref="RegexShapeKind.Literals"/>, the prefix (one entry) for <see cref="RegexShapeKind.Prefix"/>.</summary>
    public string[] Literals { get; }

    public static RegexShape Analyze(string pattern)
    {
        switch (pattern)
        {
            case ".*":
                return new RegexShape(RegexShapeKind.Any, []);
            case ".+":
                return new RegexShape(RegexShapeKind.NonEmpty, []);
        }
        if (pattern.EndsWith(".*", StringComparison.Ordinal) && pattern.AsSpan(0, pattern.Length - 2).IndexOfAny(s_metaCharacters) < 0)
        {
            return new RegexShape(RegexShapeKind.Prefix, [pattern[..^2]]);
        }
        var withoutBars = pattern.AsSpan();
        foreach (var range in withoutBars.Split('|'))
        {
            if (withoutBars[range].IndexOfAny(s_metaCharacters) >= 0)
            {
                return new RegexShape(RegexShapeKind.General, []);
            }
        }
        return new RegexShape(RegexShapeKind.Literals, pattern.Split('|'));
    }
}

internal enum RegexShapeKind
{
    General,
    Any,
    NonEmpty,
    Literals,
    Prefix,
}
