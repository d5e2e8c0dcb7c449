using System.Text.RegularExpressions;
using Kansoku.Agent.Config;

namespace Kansoku.Agent.Parsers.Multiline;

/// <summary>Builds multi-line rules: the built-in modes by name and [MULTILINE_PARSER] sections.</summary>
internal static class MultilineFactory
{
    /// <summary>Fluent Bit's default flush_timeout for multiline parsers.</summary>
    public static readonly TimeSpan DefaultFlushTimeout = TimeSpan.FromMilliseconds(4000);

    /// <summary>
    /// A built-in mode: <c>java</c>, <c>python</c>, <c>go</c>, <c>dotnet</c>, <c>nodejs</c>, or <c>auto</c> /
    /// <c>default</c> (all of them); null for other names. (Fluent Bit's <c>docker</c> and <c>cri</c> modes are the
    /// partial-line merging the tail input does itself.)
    /// </summary>
    public static IMultilineRule? CreateBuiltIn(string name)
    {
        var languages = name.Trim().ToLowerInvariant() switch
        {
            "java" => MultilineLanguages.Java,
            "python" => MultilineLanguages.Python,
            "go" or "golang" => MultilineLanguages.Go,
            "dotnet" or "csharp" => MultilineLanguages.DotNet,
            "nodejs" or "node" => MultilineLanguages.NodeJs,
            "auto" or "default" => MultilineLanguages.All,
            _ => MultilineLanguages.None,
        };
        return languages == MultilineLanguages.None ? null : new BuiltInMultilineRule(languages);
    }

    /// <summary>
    /// Builds a [MULTILINE_PARSER] section: <c>name</c>, <c>type regex</c>, <c>flush_timeout</c> (milliseconds) and
    /// <c>rule "state" "/regex/" "next_state"</c> lines, the first state being <c>start_state</c>.
    /// Throws <see cref="ConfigException"/> naming the key on a bad value.
    /// </summary>
    public static MultilineDefinition Create(ComponentSpec spec)
    {
        var name = spec.Get("Name") ?? spec.Type;
        // The config loaders make a section's Type key the spec's type; a spec built by hand may still carry the key.
        var type = spec.Find("Type");
        var typeValue = type?.Value ?? spec.Type;
        if (!typeValue.Trim().Equals("regex", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigException(type?.Location ?? spec.Location, "type",
                $"multiline parser '{name}': only type regex is supported, got '{typeValue}'");
        }
        var timeoutMs = spec.GetInt64("Flush_Timeout", (long)DefaultFlushTimeout.TotalMilliseconds);
        var states = new Dictionary<string, int>(StringComparer.Ordinal) { ["start_state"] = RegexMultilineRule.StartState };
        var rules = new List<RegexMultilineRule.Rule>();
        foreach (var property in spec.FindAll("Rule"))
        {
            var parts = SplitRule(property.Value);
            if (parts.Count != 3)
            {
                throw new ConfigException(property.Location, property.Key,
                    $"expected \"state\" \"/regex/\" \"next_state\", got '{property.Value}'");
            }
            var pattern = parts[1].Length >= 2 && parts[1][0] == '/' && parts[1][^1] == '/' ? parts[1][1..^1] : parts[1];
            Regex regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, Regexp.RegexContentParser.MatchTimeout);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException(property.Location, property.Key, $"invalid regular expression: {e.Message}");
            }
            var from = parts[0].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => StateNumber(states, s)).ToArray();
            rules.Add(new RegexMultilineRule.Rule(from, regex, StateNumber(states, parts[2])));
        }
        if (!rules.Any(r => r.FromStates.Contains(RegexMultilineRule.StartState)))
        {
            throw new ConfigException(spec.Location, "rule", $"multiline parser '{name}' needs a rule for \"start_state\"");
        }
        return new MultilineDefinition(name, new RegexMultilineRule(rules), TimeSpan.FromMilliseconds(timeoutMs));
    }

    private static int StateNumber(Dictionary<string, int> states, string name)
    {
        if (!states.TryGetValue(name, out var number))
        {
            number = states.Count + 1;
            states[name] = number;
        }
        return number;
    }

    /// <summary>
    /// Splits a rule into its fields: double-quoted (a quote closes only before white space or the end, so patterns
    /// may contain quotes) or bare words.
    /// </summary>
    private static List<string> SplitRule(string text)
    {
        var parts = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            int end;
            if (text[i] == '"')
            {
                end = i + 1;
                while (end < text.Length && !(text[end] == '"' && (end + 1 == text.Length || char.IsWhiteSpace(text[end + 1]))))
                {
                    end++;
                }
                parts.Add(text[(i + 1)..Math.Min(end, text.Length)]);
                i = end + 1;
            }
            else
            {
                end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }
                parts.Add(text[i..end]);
                i = end;
            }
        }
        return parts;
    }
}
