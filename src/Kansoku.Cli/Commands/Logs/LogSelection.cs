using System.Text;
using System.Text.RegularExpressions;
using Kansoku.Core.Labels;
using Kansoku.LogQL.Parser;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// Which lines <c>kansoku logs</c> prints: stream matchers and a line filter built from kubectl / stern flags, or a
/// raw LogQL query. The server gets it as LogQL; <c>--dir</c> evaluates the same matchers itself.
/// </summary>
internal sealed class LogSelection
{
    private LogSelection(IReadOnlyList<LabelMatcher> matchers, string? grep, string? rawQuery)
    {
        Matchers = matchers;
        Grep = grep;
        RawQuery = rawQuery;
        if (grep is not null)
        {
            try
            {
                GrepRegex = new Regex(GoRegex.ToDotNet(grep), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw LogsException.Usage($"--grep: '{grep}' is not a valid regex: {e.Message}");
            }
        }
    }

    /// <summary>Stream matchers (empty with <see cref="RawQuery"/>).</summary>
    public IReadOnlyList<LabelMatcher> Matchers { get; }

    /// <summary>A regex lines must contain a match of (LogQL <c>|~</c>), or null.</summary>
    public string? Grep { get; }

    public Regex? GrepRegex { get; }

    /// <summary>The <c>--query</c> text, which replaces the matchers.</summary>
    public string? RawQuery { get; }

    /// <param name="target">POD, TYPE/NAME or a pod-name regex; null for every pod.</param>
    /// <param name="defaultNamespace">The namespace without -n or -A (KANSOKU_NAMESPACE, else "default").</param>
    public static LogSelection FromFlags(string? target, string? container, string? ns, bool allNamespaces, string defaultNamespace,
        string? selector, string? grep)
    {
        var matchers = new List<LabelMatcher>();
        if (!allNamespaces)
        {
            matchers.Add(LabelMatcher.Equal("namespace", ns ?? defaultNamespace));
        }
        if (target is not null)
        {
            matchers.Add(PodTarget.Parse(target));
        }
        if (container is not null)
        {
            matchers.Add(NameMatchers.NameOrRegex("container", container, "-c"));
        }
        if (selector is not null)
        {
            matchers.AddRange(LabelSelector.Parse(selector));
        }
        // LogQL refuses a selector whose every matcher also matches the empty value ({} or {x!="y"}): all streams are
        // then asked for explicitly.
        if (matchers.TrueForAll(m => m.MatchesEmpty))
        {
            matchers.Add(new LabelMatcher(LabelMatchType.RegexMatch, "namespace", ".+"));
        }
        return new LogSelection(matchers, grep, null);
    }

    /// <summary>A raw LogQL log query; a metric query or a syntax error is a usage error, as the server would say.</summary>
    public static LogSelection FromQuery(string query, string? grep)
    {
        try
        {
            LogQLParser.ParseLogSelector(query);
        }
        catch (LogQLParseException e)
        {
            throw LogsException.Usage($"--query: {e.Message} (a log query such as '{{app=\"web\"}} |= \"error\"')");
        }
        return new LogSelection([], grep, query);
    }

    /// <summary>The LogQL log query the server is sent.</summary>
    public string ToLogQL()
    {
        var text = new StringBuilder();
        if (RawQuery is not null)
        {
            text.Append(RawQuery);
        }
        else
        {
            text.Append('{');
            for (var i = 0; i < Matchers.Count; i++)
            {
                text.Append(i == 0 ? "" : ", ").Append(Matchers[i]);
            }
            text.Append('}');
        }
        if (Grep is not null)
        {
            text.Append(" |~ \"");
            LabelSet.AppendEscaped(text, Grep);
            text.Append('"');
        }
        return text.ToString();
    }

    /// <summary>Whether a stream with <paramref name="labels"/> is selected (for <c>--dir</c>).</summary>
    public bool Matches(LabelSet labels)
    {
        foreach (var matcher in Matchers)
        {
            if (!matcher.Matches(labels))
            {
                return false;
            }
        }
        return true;
    }
}
