namespace Kansoku.Agent.Config;

/// <summary>
/// The variables <c>${NAME}</c> expands to, resolved as Fluent Bit's <c>flb_env_get</c> does: variables set in the
/// configuration (<c>@SET</c>, YAML <c>env:</c>) first, then the process environment (an empty value counts as unset),
/// then <c>HOSTNAME</c> from the host name, which shells set without exporting.
/// </summary>
internal sealed class ConfigVariables
{
    private readonly Dictionary<string, string> _set = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _environment;

    public ConfigVariables(Func<string, string?> environment)
    {
        _environment = environment;
    }

    public void Set(string name, string value) => _set[name] = value;

    public string? Get(string name)
    {
        if (_set.TryGetValue(name, out var value))
        {
            return value;
        }
        var fromEnvironment = _environment(name);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }
        return name == "HOSTNAME" ? System.Net.Dns.GetHostName() : null;
    }

    /// <summary>
    /// Replaces every <c>${NAME}</c> in the property's value. An undefined variable becomes the empty string, as in
    /// Fluent Bit, and adds a warning so the user sees why a value went missing. An unterminated <c>${</c> stays as written.
    /// </summary>
    public ConfigProperty Expand(ConfigProperty property, List<ConfigWarning> warnings)
    {
        var value = property.Value;
        var start = value.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return property;
        }
        var result = new System.Text.StringBuilder(value.Length);
        var position = 0;
        while (start >= 0)
        {
            var end = value.IndexOf('}', start + 2);
            if (end < 0)
            {
                break;
            }
            result.Append(value, position, start - position);
            var name = value[(start + 2)..end];
            var replacement = name.Length == 0 ? null : Get(name);
            if (replacement is not null)
            {
                result.Append(replacement);
            }
            else if (name.Length == 0)
            {
                result.Append("${}");
            }
            else
            {
                warnings.Add(new ConfigWarning(property.Location, $"{property.Key}: variable ${{{name}}} is not set; it expands to an empty string"));
            }
            position = end + 1;
            start = value.IndexOf("${", position, StringComparison.Ordinal);
        }
        result.Append(value, position, value.Length - position);
        return property with { Value = result.ToString() };
    }
}
