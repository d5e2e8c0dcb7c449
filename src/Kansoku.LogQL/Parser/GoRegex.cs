using System.Text;
using System.Text.RegularExpressions;

namespace Kansoku.LogQL.Parser;

/// <summary>
/// LogQL regexes are Go RE2 regexes. Most of RE2's syntax means the same in .NET; the one common construct .NET lacks is
/// Go's named group <c>(?P&lt;name&gt;...)</c>, which <see cref="ToDotNet"/> rewrites to <c>(?&lt;name&gt;...)</c>.
/// Differences that remain (POSIX classes such as <c>[[:alpha:]]</c>, Unicode <c>\d</c>) are listed in docs/query/logql.md.
/// </summary>
internal static class GoRegex
{
    /// <summary>The .NET form of <paramref name="pattern"/> and the names of its named groups, in order (duplicates kept).</summary>
    public static string ToDotNet(string pattern, List<string>? groupNames = null)
    {
        var text = new StringBuilder(pattern.Length);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                text.Append(c).Append(pattern[++i]);
                continue;
            }
            if (inClass)
            {
                inClass = c != ']';
                text.Append(c);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                text.Append(c);
                // A ']' right after '[' or '[^' is a literal member, not the end of the class.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    text.Append(pattern[++i]);
                }
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    text.Append(pattern[++i]);
                }
                continue;
            }
            var span = pattern.AsSpan(i);
            if (span.StartsWith("(?P<", StringComparison.Ordinal) || span.StartsWith("(?<", StringComparison.Ordinal))
            {
                var nameStart = span[2] == 'P' ? i + 4 : i + 3;
                var nameEnd = pattern.IndexOf('>', nameStart);
                // "(?<=" and "(?<!" are lookbehinds, not groups; .NET keeps them.
                if (nameEnd > nameStart && pattern[nameStart] is not ('=' or '!'))
                {
                    groupNames?.Add(pattern[nameStart..nameEnd]);
                    text.Append("(?<").Append(pattern, nameStart, nameEnd - nameStart + 1);
                    i = nameEnd;
                    continue;
                }
            }
            text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>Compiles <paramref name="pattern"/>, anchored at both ends when <paramref name="anchored"/> (matchers).</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regex.</exception>
    public static Regex Compile(string pattern, bool anchored, List<string>? groupNames = null)
    {
        var dotNet = ToDotNet(pattern, groupNames);
        if (anchored)
        {
            dotNet = "^(?:" + dotNet + ")$";
        }
        return new Regex(dotNet, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>Null when <paramref name="pattern"/> compiles, else why not (the .NET parser's message).</summary>
    public static string? Validate(string pattern, List<string>? groupNames = null)
    {
        try
        {
            Compile(pattern, anchored: false, groupNames);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
