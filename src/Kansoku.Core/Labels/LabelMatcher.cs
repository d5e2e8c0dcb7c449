using System.Text.RegularExpressions;

namespace Kansoku.Core.Labels;

/// <summary>
/// A label matcher of a PromQL or LogQL selector, with Prometheus' semantics: regexes are anchored at both ends
/// (<c>=~"a|b"</c> means <c>^(?:a|b)$</c>), and an absent label has the value "" (so <c>{x=""}</c> matches series
/// without x, and <c>{x!=""}</c> those with it).
/// </summary>
public sealed class LabelMatcher
{
    private readonly Regex? _regex;

    public LabelMatcher(LabelMatchType type, string name, string value)
    {
        Type = type;
        Name = name;
        Value = value;
        if (type is LabelMatchType.RegexMatch or LabelMatchType.RegexNoMatch)
        {
            // Throws ArgumentException on a bad pattern; parsers turn that into an error with a position. \z, not $:
            // .NET's $ also matches before a final "\n", RE2's does not.
            _regex = new Regex("^(?:" + value + @")\z", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
    }

    public LabelMatchType Type { get; }
    public string Name { get; }
    public string Value { get; }

    public static LabelMatcher Equal(string name, string value) => new(LabelMatchType.Equal, name, value);

    /// <summary>Whether a label value ("" when the label is absent) satisfies the matcher.</summary>
    public bool Matches(string value) => Type switch
    {
        LabelMatchType.Equal => string.Equals(value, Value, StringComparison.Ordinal),
        LabelMatchType.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
        LabelMatchType.RegexMatch => _regex!.IsMatch(value),
        _ => !_regex!.IsMatch(value),
    };

    public bool Matches(LabelSet labels) => Matches(labels.Get(Name));

    /// <summary>True when the matcher also matches the empty value, i.e. selects series that lack the label.</summary>
    public bool MatchesEmpty => Matches("");

    public override string ToString()
    {
        var op = Type switch
        {
            LabelMatchType.Equal => "=",
            LabelMatchType.NotEqual => "!=",
            LabelMatchType.RegexMatch => "=~",
            _ => "!~",
        };
        var text = new System.Text.StringBuilder(Name).Append(op).Append('"');
        LabelSet.AppendEscaped(text, Value);
        return text.Append('"').ToString();
    }
}
