using System.Text;
using System.Text.RegularExpressions;

namespace Kansoku.Scrape.Relabel;

/// <summary>
/// A relabelling regex with Prometheus' meaning: fully anchored, <c>.</c> matching newlines, and Go's template
/// expansion (<c>$1</c>, <c>${1}</c>, <c>$name</c>, <c>${name}</c>, <c>$$</c>). Go numbers capture groups left to right
/// whether named or not, where .NET numbers the named ones last; named groups are therefore rewritten to plain groups
/// and their names kept here, so <c>$1</c> means the same group in both.
/// </summary>
internal sealed class RelabelRegex
{
    public const string DefaultPattern = "(.*)";

    private readonly Regex _regex;
    private readonly Dictionary<string, int> _groupsByName;

    private RelabelRegex(string pattern, Regex regex, Dictionary<string, int> groupsByName)
    {
        Pattern = pattern;
        _regex = regex;
        _groupsByName = groupsByName;
    }

    public static RelabelRegex Default { get; } = Create(DefaultPattern);

    /// <summary>The pattern as written in the configuration, without the anchors.</summary>
    public string Pattern { get; }

    public bool IsDefault => Pattern == DefaultPattern;

    /// <exception cref="ArgumentException">The pattern does not compile.</exception>
    public static RelabelRegex Create(string pattern)
    {
        var groupsByName = new Dictionary<string, int>(StringComparer.Ordinal);
        var translated = NumberGroupsLeftToRight(pattern, groupsByName);
        var regex = new Regex("^(?s:" + translated + @")\z", RegexOptions.CultureInvariant);
        return new RelabelRegex(pattern, regex, groupsByName);
    }

    public bool IsMatch(string input) => _regex.IsMatch(input);

    /// <summary>The match of the whole input, or null.</summary>
    public Match? Match(string input)
    {
        var match = _regex.Match(input);
        return match.Success ? match : null;
    }

    /// <summary>Expands <paramref name="template"/> against <paramref name="match"/> as Go's <c>Regexp.ExpandString</c> does.</summary>
    public string Expand(string template, Match match)
    {
        var dollar = template.IndexOf('$', StringComparison.Ordinal);
        if (dollar < 0)
        {
            return template;
        }
        var result = new StringBuilder(template.Length + 16);
        var rest = template.AsSpan();
        while (dollar >= 0)
        {
            result.Append(rest[..dollar]);
            rest = rest[(dollar + 1)..];
            if (!rest.IsEmpty && rest[0] == '$')
            {
                result.Append('$');
                rest = rest[1..];
            }
            else if (TryReadReference(rest, out var name, out var consumed))
            {
                AppendGroup(result, match, name);
                rest = rest[consumed..];
            }
            else
            {
                // Go keeps a malformed reference as text.
                result.Append('$');
            }
            dollar = rest.IndexOf('$');
        }
        return result.Append(rest).ToString();
    }

    private void AppendGroup(StringBuilder result, Match match, ReadOnlySpan<char> name)
    {
        int group;
        if (IsDigits(name))
        {
            // Go reads digits as a group number, but not with a leading zero or past 1e8: then nothing matches.
            if ((name.Length > 1 && name[0] == '0') || name.Length > 8)
            {
                return;
            }
            group = int.Parse(name, provider: System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (!_groupsByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out group))
        {
            return;
        }
        if (group < match.Groups.Count && match.Groups[group].Success)
        {
            result.Append(match.Groups[group].ValueSpan);
        }
    }

    /// <summary>Reads <c>name</c> or <c>{name}</c> after a <c>$</c>, a name being letters, digits and underscores.</summary>
    private static bool TryReadReference(ReadOnlySpan<char> text, out ReadOnlySpan<char> name, out int consumed)
    {
        var braced = !text.IsEmpty && text[0] == '{';
        var start = braced ? 1 : 0;
        var end = start;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }
        name = text[start..end];
        consumed = end;
        if (name.IsEmpty)
        {
            return false;
        }
        if (braced)
        {
            if (end >= text.Length || text[end] != '}')
            {
                return false;
            }
            consumed = end + 1;
        }
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Rewrites <c>(?P&lt;name&gt;…)</c> and <c>(?&lt;name&gt;…)</c> to plain groups, recording each name's left-to-right
    /// number. Escapes and character classes are skipped so their parentheses are not counted.
    /// </summary>
    private static string NumberGroupsLeftToRight(string pattern, Dictionary<string, int> groupsByName)
    {
        if (!pattern.Contains("(?", StringComparison.Ordinal))
        {
            return pattern;
        }
        var output = new StringBuilder(pattern.Length);
        var groups = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                output.Append(c).Append(pattern[++i]);
                continue;
            }
            if (inClass)
            {
                inClass = c != ']';
                output.Append(c);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                output.Append(c);
                // A ']' first in the class (after an optional '^') is a literal.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    output.Append(pattern[++i]);
                }
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    output.Append(pattern[++i]);
                }
                continue;
            }
            if (c != '(')
            {
                output.Append(c);
                continue;
            }
            var rest = pattern.AsSpan(i + 1);
            var nameStart = rest.StartsWith("?P<") ? 3 : rest.StartsWith("?<") && !rest.StartsWith("?<=") && !rest.StartsWith("?<!") ? 2 : 0;
            if (nameStart > 0)
            {
                var nameEnd = rest.IndexOf('>');
                if (nameEnd > nameStart)
                {
                    groups++;
                    groupsByName.TryAdd(rest[nameStart..nameEnd].ToString(), groups);
                    output.Append('(');
                    i += nameEnd + 1;
                    continue;
                }
            }
            else if (rest.IsEmpty || rest[0] != '?')
            {
                groups++;
            }
            output.Append('(');
        }
        return output.ToString();
    }
}
