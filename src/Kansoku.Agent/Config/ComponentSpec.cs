namespace Kansoku.Agent.Config;

/// <summary>
/// One section of a configuration: a service, input, parser, multiline parser, filter or output, with its plugin
/// type (Fluent Bit's <c>Name</c>) and its keys as written. Both the Fluent Bit classic loader and the YAML loader
/// produce these; component factories read them. Keys are matched case-insensitively. Every key a factory reads is
/// marked used, so keys nobody read can be reported as unknown (a warning that names them).
/// </summary>
internal sealed class ComponentSpec
{
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public ComponentSpec(ComponentKind kind, string type, SourceLocation location)
    {
        Kind = kind;
        Type = type;
        Location = location;
    }

    public ComponentKind Kind { get; }

    /// <summary>The plugin type in lower case: <c>tail</c>, <c>grep</c>, <c>es</c>, <c>json</c>…</summary>
    public string Type { get; }

    public SourceLocation Location { get; }

    public List<ConfigProperty> Properties { get; } = [];

    public void Add(string key, string value, SourceLocation location) => Properties.Add(new ConfigProperty(key, value, location));

    /// <summary>The last value of <paramref name="key"/>, or null. Marks the key used.</summary>
    public string? Get(string key) => Find(key)?.Value;

    /// <summary>The last property named <paramref name="key"/>, or null. Marks the key used.</summary>
    public ConfigProperty? Find(string key)
    {
        _used.Add(key);
        for (var i = Properties.Count - 1; i >= 0; i--)
        {
            if (string.Equals(Properties[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return Properties[i];
            }
        }
        return null;
    }

    /// <summary>Every property named <paramref name="key"/> in order. Marks the key used.</summary>
    public List<ConfigProperty> FindAll(string key)
    {
        _used.Add(key);
        var found = new List<ConfigProperty>();
        foreach (var property in Properties)
        {
            if (string.Equals(property.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(property);
            }
        }
        return found;
    }

    public string GetRequired(string key) =>
        Find(key)?.Value ?? throw new ConfigException(Location, key, $"{Kind.ToString().ToLowerInvariant()} '{Type}' needs '{key}'");

    public bool GetBool(string key, bool defaultValue)
    {
        var property = Find(key);
        if (property is null)
        {
            return defaultValue;
        }
        return property.Value.Trim().ToLowerInvariant() switch
        {
            "on" or "true" or "yes" or "1" => true,
            "off" or "false" or "no" or "0" => false,
            _ => throw new ConfigException(property.Location, property.Key, $"expected on/off, got '{property.Value}'"),
        };
    }

    public long GetInt64(string key, long defaultValue)
    {
        var property = Find(key);
        if (property is null)
        {
            return defaultValue;
        }
        return long.TryParse(property.Value.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ConfigException(property.Location, property.Key, $"expected an integer, got '{property.Value}'");
    }

    /// <summary>Sizes as Fluent Bit writes them: <c>50MB</c>, <c>512k</c>, <c>1G</c>, plain bytes.</summary>
    public long GetSize(string key, long defaultValue)
    {
        var property = Find(key);
        return property is null ? defaultValue : SizeParser.Parse(property);
    }

    /// <summary>Durations: plain seconds (<c>5</c>, <c>0.5</c>) or with a unit (<c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>).</summary>
    public TimeSpan GetDuration(string key, TimeSpan defaultValue)
    {
        var property = Find(key);
        return property is null ? defaultValue : SizeParser.ParseDuration(property);
    }

    /// <summary>Properties no factory read: unknown keys, for a warning that names them.</summary>
    public IEnumerable<ConfigProperty> UnusedProperties()
    {
        foreach (var property in Properties)
        {
            if (!_used.Contains(property.Key))
            {
                yield return property;
            }
        }
    }

    public void MarkUsed(string key) => _used.Add(key);
}

internal enum ComponentKind
{
    Service,
    Input,
    Parser,
    MultilineParser,
    Filter,
    Output,
}
