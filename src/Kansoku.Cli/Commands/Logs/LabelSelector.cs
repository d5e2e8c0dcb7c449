using System.Text.RegularExpressions;
using Kansoku.Core.Labels;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// A Kubernetes label selector (<c>-l app=web,tier!=db,env in (prod,staging),!canary,release</c>) as LogQL stream
/// matchers. The semantics carry over: <c>!=</c> and <c>notin</c> also select streams without the label, as they do
/// objects in Kubernetes, because an absent label reads as "" in LogQL.
/// </summary>
internal static partial class LabelSelector
{
    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex SetRequirement();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();

    public static List<LabelMatcher> Parse(string selector)
    {
        var matchers = new List<LabelMatcher>();
        foreach (var part in SplitTopLevel(selector))
        {
            var requirement = part.Trim();
            if (requirement.Length == 0)
            {
                throw LogsException.Usage($"-l: empty requirement in '{selector}'");
            }
            matchers.Add(ParseRequirement(requirement));
        }
        return matchers;
    }

    private static LabelMatcher ParseRequirement(string requirement)
    {
        if (requirement[0] == '!')
        {
            return LabelMatcher.Equal(Key(requirement[1..].Trim()), "");
        }
        var set = SetRequirement().Match(requirement);
        if (set.Success)
        {
            var key = Key(set.Groups["key"].Value);
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries);
            var negated = set.Groups["op"].Value == "notin";
            if (values.Length == 1)
            {
                return new LabelMatcher(negated ? LabelMatchType.NotEqual : LabelMatchType.Equal, key, values[0]);
            }
            var alternatives = string.Join('|', values.Select(Regex.Escape));
            return new LabelMatcher(negated ? LabelMatchType.RegexNoMatch : LabelMatchType.RegexMatch, key, alternatives);
        }
        var notEqual = requirement.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            return new LabelMatcher(LabelMatchType.NotEqual, Key(requirement[..notEqual].Trim()), Value(requirement[(notEqual + 2)..]));
        }
        var equal = requirement.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0)
        {
            var valueStart = equal + 1 < requirement.Length && requirement[equal + 1] == '=' ? equal + 2 : equal + 1;
            return LabelMatcher.Equal(Key(requirement[..equal].Trim()), Value(requirement[valueStart..]));
        }
        if (requirement.IndexOfAny(['<', '>', '(', ')', ' ']) >= 0)
        {
            throw LogsException.Usage($"-l: cannot read '{requirement}' (use key=value, key!=value, key in (a,b), key notin (a,b), key or !key)");
        }
        // Exists: any non-empty value.
        return new LabelMatcher(LabelMatchType.RegexMatch, Key(requirement), ".+");
    }

    private static string Value(string text)
    {
        var value = text.Trim();
        return value.IndexOfAny(['=', '!', '(', ')', ',', ' ']) < 0
            ? value
            : throw LogsException.Usage($"-l: '{value}' is not a label value");
    }

    /// <summary>Kubernetes label keys as stream label names: the server keeps the pod's app label as <c>app</c>.</summary>
    private static string Key(string key)
    {
        if (key is "app.kubernetes.io/name")
        {
            return "app";
        }
        if (LabelName().IsMatch(key))
        {
            return key;
        }
        throw LogsException.Usage(
            $"-l: '{key}' is not a stream label name; streams are labelled namespace, pod, container, app, node and stream " +
            "(other pod labels are in each record's kubernetes.labels: filter them with --query '{...} | json | ...')");
    }

    /// <summary>Splits at commas outside parentheses, so <c>env in (a,b),tier=web</c> is two requirements.</summary>
    private static List<string> SplitTopLevel(string selector)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(selector[start..i]);
                    start = i + 1;
                    break;
            }
        }
        parts.Add(selector[start..]);
        return parts;
    }
}
