using System.Text;
using Kansoku.Agent.Config;

namespace Kansoku.Agent.Parsers.Fields;

/// <summary>The Types of a parser: field name to conversion, looked up by the field's UTF-8 name.</summary>
internal sealed class FieldTypeMap
{
    private readonly (byte[] Key, FieldType Type)[] _entries;

    private FieldTypeMap((byte[] Key, FieldType Type)[] entries)
    {
        _entries = entries;
    }

    public static FieldTypeMap Empty { get; } = new([]);

    public bool IsEmpty => _entries.Length == 0;

    /// <summary>Parses <c>key:type</c> pairs separated by spaces; types are string, integer, float, bool and hex.</summary>
    public static FieldTypeMap Parse(ConfigProperty property)
    {
        var entries = new List<(byte[], FieldType)>();
        foreach (var pair in property.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.LastIndexOf(':');
            var type = colon <= 0 ? (FieldType?)null : pair[(colon + 1)..].ToLowerInvariant() switch
            {
                "string" => FieldType.String,
                "integer" or "int" => FieldType.Integer,
                "float" or "double" => FieldType.Float,
                "bool" or "boolean" => FieldType.Bool,
                "hex" => FieldType.Hex,
                _ => null,
            };
            if (type is null)
            {
                throw new ConfigException(property.Location, property.Key,
                    $"'{pair}' is not key:type with type string, integer, float, bool or hex");
            }
            entries.Add((Encoding.UTF8.GetBytes(pair[..colon]), type.Value));
        }
        return new FieldTypeMap([.. entries]);
    }

    public FieldType Lookup(ReadOnlySpan<byte> key)
    {
        foreach (var (entryKey, type) in _entries)
        {
            if (key.SequenceEqual(entryKey))
            {
                return type;
            }
        }
        return FieldType.String;
    }
}
