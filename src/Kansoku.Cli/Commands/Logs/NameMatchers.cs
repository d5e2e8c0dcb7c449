using System.Text.RegularExpressions;
using Kansoku.Core.Labels;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// Matchers for names given on the command line: a Kubernetes object name is taken literally (kubectl), anything else
/// is a regex (stern), fully anchored as LogQL matchers are.
/// </summary>
internal static partial class NameMatchers
{
    /// <summary>A Kubernetes object name (DNS subdomain; container names are DNS labels, a subset).</summary>
    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectName();

    public static bool IsObjectName(string value) => ObjectName().IsMatch(value);

    public static LabelMatcher NameOrRegex(string label, string value, string flag) =>
        IsObjectName(value) ? LabelMatcher.Equal(label, value) : Regex(label, value, flag);

    /// <summary>A regex matcher; a pattern .NET cannot compile is a usage error naming <paramref name="flag"/>.</summary>
    public static LabelMatcher Regex(string label, string pattern, string flag) => Create(LabelMatchType.RegexMatch, label, pattern, flag);

    public static LabelMatcher Create(LabelMatchType type, string label, string value, string flag)
    {
        try
        {
            return new LabelMatcher(type, label, value);
        }
        catch (ArgumentException e)
        {
            throw LogsException.Usage($"{flag}: '{value}' is not a valid regex: {e.Message}");
        }
    }
}
