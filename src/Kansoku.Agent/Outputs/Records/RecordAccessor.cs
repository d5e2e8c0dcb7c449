using System.Text.Json;
using Kansoku.Agent.Config;

namespace Kansoku.Agent.Outputs.Records;

/// <summary>
/// Fluent Bit's record accessor: <c>$kubernetes['labels']['app']</c> (or a bare top-level key <c>log</c>),
/// a path of map keys into the record.
/// </summary>
internal sealed class RecordAccessor
{
    private RecordAccessor(string pattern, string[] path)
    {
        Pattern = pattern;
        Path = path;
    }

    public string Pattern { get; }

    /// <summary>The keys from the record root down.</summary>
    public IReadOnlyList<string> Path { get; }

    /// <summary>The innermost key: Fluent Bit names a label taken from an accessor after it.</summary>
    public string LastKey => Path[^1];

    public static RecordAccessor Parse(string pattern, ConfigProperty property)
    {
        var text = pattern.Trim();
        var position = text.StartsWith('$') ? 1 : 0;
        var bracket = text.IndexOf('[', position);
        var head = (bracket < 0 ? text[position..] : text[position..bracket]).Trim();
        if (head.Length == 0)
        {
            throw new ConfigException(property.Location, property.Key, $"'{pattern}' is not a record accessor such as $kubernetes['pod_name']");
        }
        var path = new List<string> { head };
        position = bracket < 0 ? text.Length : bracket;
        while (position < text.Length)
        {
            if (text[position] != '[' || position + 1 >= text.Length || text[position + 1] is not ('\'' or '"'))
            {
                throw new ConfigException(property.Location, property.Key, $"'{pattern}': expected ['key'] at offset {position}");
            }
            var quote = text[position + 1];
            var close = text.IndexOf(quote, position + 2);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ']')
            {
                throw new ConfigException(property.Location, property.Key, $"'{pattern}': unterminated ['key'] at offset {position}");
            }
            path.Add(text[(position + 2)..close]);
            position = close + 2;
        }
        return new RecordAccessor(text, [.. path]);
    }

    public bool TryGet(JsonElement record, out JsonElement value)
    {
        value = record;
        foreach (var key in Path)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(key, out value))
            {
                return false;
            }
        }
        return true;
    }
}
