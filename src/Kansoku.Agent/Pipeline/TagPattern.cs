using System.IO.Enumeration;
using System.Text.RegularExpressions;

namespace Kansoku.Agent.Pipeline;

/// <summary>
/// A filter's or output's <c>Match</c> (wildcards <c>*</c>) or <c>Match_Regex</c> against a record's tag, as in Fluent Bit.
/// Tags repeat per file, so the last answer is cached.
/// </summary>
internal sealed class TagPattern
{
    private readonly string? _wildcard;
    private readonly Regex? _regex;
    private string? _lastTag;
    private bool _lastResult;

    private TagPattern(string? wildcard, Regex? regex)
    {
        _wildcard = wildcard;
        _regex = regex;
    }

    public static TagPattern All { get; } = new("*", null);

    public static TagPattern Wildcard(string pattern) => new(pattern, null);

    public static TagPattern Regex(string pattern) => new(null, new Regex(pattern, RegexOptions.CultureInvariant));

    public bool Matches(string tag)
    {
        if (ReferenceEquals(tag, _lastTag))
        {
            return _lastResult;
        }
        var result = _regex is not null
            ? _regex.IsMatch(tag)
            : _wildcard == "*" || FileSystemName.MatchesSimpleExpression(_wildcard, tag, ignoreCase: false);
        _lastTag = tag;
        _lastResult = result;
        return result;
    }

    public override string ToString() => _regex is not null ? $"regex {_regex}" : _wildcard!;
}
