using System.Text;
using System.Text.RegularExpressions;
using Kansoku.Agent.Config;

namespace Kansoku.Agent.Filters;

/// <summary>Config-time helpers shared by the filters: <c>KEY VALUE</c> splitting, regexes, <c>${VAR}</c> expansion.</summary>
internal static class ConfigValues
{
    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Splits <c>KEY REST</c> at the first run of whitespace; the rest keeps inner spaces.</summary>
    public static (string Key, string Value) SplitKeyValue(ConfigProperty property, bool restRequired = true)
    {
        var text = property.Value.Trim();
        var space = text.AsSpan().IndexOfAny(' ', '\t');
        if (space < 0)
        {
            if (restRequired)
            {
                throw new ConfigException(property.Location, property.Key, $"expected 'KEY VALUE', got '{property.Value}'");
            }
            return (text, "");
        }
        return (text[..space], text[(space + 1)..].Trim());
    }

    public static string[] SplitTwo(ConfigProperty property)
    {
        var (first, rest) = SplitKeyValue(property);
        if (rest.AsSpan().IndexOfAny(' ', '\t') >= 0)
        {
            throw new ConfigException(property.Location, property.Key, $"expected two words, got '{property.Value}'");
        }
        return [first, rest];
    }

    public static Regex Regex(ConfigProperty property, string pattern)
    {
        try
        {
            // A match timeout bounds a pathological pattern on one long line instead of stalling the pipeline.
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, s_regexTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(property.Location, property.Key, $"invalid regex '{pattern}': {e.Message}");
        }
    }

    public static RecordAccessor Accessor(ConfigProperty property, string key)
    {
        try
        {
            return RecordAccessor.Parse(key);
        }
        catch (FormatException e)
        {
            throw new ConfigException(property.Location, property.Key, $"invalid key {e.Message}");
        }
    }

    /// <summary>
    /// Expands <c>${NAME}</c> from the environment; <c>${HOSTNAME}</c> falls back to the machine name, since shells set
    /// it but do not export it. An unset variable expands to nothing, as in Fluent Bit.
    /// </summary>
    public static string ExpandEnvironment(string value, Func<string, string?> getEnv)
    {
        if (!value.Contains("${", StringComparison.Ordinal))
        {
            return value;
        }
        var result = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            var start = value.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : value.IndexOf('}', start + 2);
            if (end < 0)
            {
                result.Append(value, i, value.Length - i);
                break;
            }
            result.Append(value, i, start - i);
            var name = value[(start + 2)..end];
            var expanded = getEnv(name);
            if (expanded is null && name == "HOSTNAME")
            {
                expanded = Environment.MachineName;
            }
            result.Append(expanded);
            i = end + 1;
        }
        return result.ToString();
    }
}
