using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Kansoku.Scrape.Config;

/// <summary>
/// A YAML mapping being read into a configuration record. Every key read is remembered so that <see cref="Finish"/>
/// can refuse the rest, as Prometheus' strict unmarshalling does. A key given as null (<c>key:</c>) reads as absent,
/// as it does in Go's YAML decoder.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public YamlSection(string file, string path, YamlMappingNode node)
    {
        File = file;
        Path = path;
        _node = node;
    }

    public string File { get; }
    /// <summary>Where this section is, as keys and indexes: <c>scrape_configs[2].kubernetes_sd_configs[0]</c>.</summary>
    public string Path { get; }
    public YamlMappingNode Node => _node;

    public static bool IsNull(YamlNode? node) =>
        node is null
        || (node is YamlScalarNode scalar && ((!scalar.Tag.IsEmpty && scalar.Tag.Value == "tag:yaml.org,2002:null")
            || (scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any
                && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL")));

    public string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    /// <summary>The value of <paramref name="key"/>, or null when absent or null.</summary>
    public YamlNode? Take(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value) ? value : null;
    }

    public bool Has(string key) => _node.Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value);

    public string? String(string key) => Take(key) is { } node ? Scalar(node, key) : null;

    public bool? Bool(string key)
    {
        if (String(key) is not { } text)
        {
            return null;
        }
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "y" => true,
            "false" or "no" or "off" or "n" => false,
            _ => throw ErrorAt(key, $"cannot unmarshal \"{text}\" into a boolean"),
        };
    }

    public long? Integer(string key)
    {
        if (String(key) is not { } text)
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ErrorAt(key, $"cannot unmarshal \"{text}\" into an integer");
    }

    public long? NonNegative(string key)
    {
        var value = Integer(key);
        return value < 0 ? throw ErrorAt(key, $"cannot unmarshal {value} into an unsigned integer") : value;
    }

    public TimeSpan? Duration(string key)
    {
        if (String(key) is not { } text)
        {
            return null;
        }
        return PromDuration.TryParse(text, out var duration, out var error) ? duration : throw ErrorAt(key, error!);
    }

    public long? Bytes(string key)
    {
        if (String(key) is not { } text)
        {
            return null;
        }
        return ByteSize.TryParse(text, out var bytes) ? bytes : throw ErrorAt(key, $"units: unknown unit in \"{text}\"");
    }

    public IReadOnlyList<string>? Strings(string key)
    {
        if (Take(key) is not { } node)
        {
            return null;
        }
        if (node is not YamlSequenceNode sequence)
        {
            throw ErrorAt(node, key, "expected a list of strings");
        }
        var values = new List<string>(sequence.Children.Count);
        foreach (var item in sequence.Children)
        {
            values.Add(Scalar(item, key));
        }
        return values;
    }

    public IReadOnlyList<(string Key, string Value, YamlNode KeyNode)>? StringMap(string key)
    {
        if (Take(key) is not { } node)
        {
            return null;
        }
        if (node is not YamlMappingNode mapping)
        {
            throw ErrorAt(node, key, "expected a map of strings");
        }
        var values = new List<(string, string, YamlNode)>(mapping.Children.Count);
        foreach (var (name, value) in mapping.Children)
        {
            values.Add((Scalar(name, key), IsNull(value) ? "" : Scalar(value, key + "." + Scalar(name, key)), name));
        }
        return values;
    }

    public YamlSection? Section(string key)
    {
        if (Take(key) is not { } node)
        {
            return null;
        }
        return node is YamlMappingNode mapping ? new YamlSection(File, KeyPath(key), mapping) : throw ErrorAt(node, key, "expected a map");
    }

    /// <summary>A list of mappings; a null item is reported with <paramref name="nullItemMessage"/>.</summary>
    public IReadOnlyList<YamlSection> Sections(string key, string nullItemMessage)
    {
        if (Take(key) is not { } node)
        {
            return [];
        }
        if (node is not YamlSequenceNode sequence)
        {
            throw ErrorAt(node, key, "expected a list");
        }
        var sections = new List<YamlSection>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var path = $"{KeyPath(key)}[{i}]";
            sections.Add(item switch
            {
                _ when IsNull(item) => throw Error(item, path, nullItemMessage),
                YamlMappingNode mapping => new YamlSection(File, path, mapping),
                _ => throw Error(item, path, "expected a map"),
            });
        }
        return sections;
    }

    /// <summary>Refuses keys nobody read; <paramref name="kind"/> names the section in the message.</summary>
    public void Finish(string kind)
    {
        foreach (var (key, _) in _node.Children)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
            if (!_read.Contains(name))
            {
                throw Error(key, KeyPath(name), $"field {name} not found in {kind}");
            }
        }
    }

    /// <summary>An error at the value of <paramref name="key"/>, or at the section when the key is absent.</summary>
    public ConfigException ErrorAt(string key, string reason) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ErrorAt(value, key, reason) : Error(_node, Path.Length == 0 ? null : Path, reason);

    public ConfigException ErrorAt(YamlNode node, string key, string reason) => Error(node, KeyPath(key), reason);

    /// <summary>An error about the section as a whole, at its first line.</summary>
    public ConfigException Error(string reason) => Error(_node, Path.Length == 0 ? null : Path, reason);

    public ConfigException Error(YamlNode node, string? path, string reason) =>
        new(File, (int)node.Start.Line, (int)node.Start.Column, path, reason);

    private string Scalar(YamlNode node, string key) =>
        node is YamlScalarNode scalar ? scalar.Value ?? "" : throw ErrorAt(node, key, $"cannot unmarshal {Kind(node)} into a string");

    private static string Kind(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a map",
        _ => "this value",
    };
}
