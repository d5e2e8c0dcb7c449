using System.Text;
using System.Text.Json;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| json a="x.y", b="items[0]"</c> (Loki's <c>JSONExpressionParser</c>): each path's value becomes the label
/// (strings unescaped, objects and arrays as their JSON text, null as ""); a label whose path is missing is still set,
/// to "". A line that does not start like JSON sets <c>__error__="JSONParserErr"</c>.
/// </summary>
internal sealed class JsonExpressionParser(IReadOnlyList<(string Name, JsonPath Path)> expressions) : Stage
{
    private byte[] _unescaped = new byte[256];

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        if (line.IsEmpty || labels.Hints.NoLabels)
        {
            return true;
        }
        if (line[0] is not ((byte)'"' or (byte)'{' or (byte)'['))
        {
            labels.SetError(LokiLabels.JsonParserError, null);
            return true;
        }
        var matches = 0;
        for (var i = 0; i < expressions.Count; i++)
        {
            var (name, path) = expressions[i];
            string? value;
            try
            {
                value = Find(line, path);
            }
            catch (JsonException)
            {
                labels.SetError(LokiLabels.JsonParserError, "Malformed JSON error");
                continue;
            }
            if (value is null)
            {
                continue;
            }
            labels.Set(labels.BaseHas(name) ? name + LokiLabels.ExtractedSuffix : name, value);
            matches++;
        }
        if (matches < expressions.Count)
        {
            foreach (var (name, _) in expressions)
            {
                if (!labels.TryGet(name, out _))
                {
                    labels.Set(name, "");
                }
            }
        }
        return true;
    }

    private string? Find(ReadOnlySpan<byte> line, JsonPath path)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read())
        {
            return null;
        }
        foreach (var segment in path.Segments)
        {
            if (!Descend(ref reader, segment))
            {
                return null;
            }
        }
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return "";
            case JsonTokenType.String:
                return ReadString(ref reader);
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return LabelValues.FromUtf8(line[start..(int)reader.BytesConsumed]);
            default:
                return Encoding.UTF8.GetString(reader.ValueSpan);
        }
    }

    /// <summary>Moves the reader from a container onto the member or element the segment names; false when absent.</summary>
    private static bool Descend(ref Utf8JsonReader reader, JsonPath.Segment segment)
    {
        if (segment.KeyUtf8 is { } key)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var matches = reader.ValueTextEquals(key);
                reader.Read();
                if (matches)
                {
                    return true;
                }
                reader.Skip();
            }
            return false;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (index++ == segment.ArrayIndex)
            {
                return true;
            }
            reader.Skip();
        }
        return false;
    }

    private string ReadString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return LabelValues.FromUtf8(reader.ValueSpan);
        }
        if (_unescaped.Length < reader.ValueSpan.Length)
        {
            _unescaped = new byte[Math.Max(reader.ValueSpan.Length, _unescaped.Length * 2)];
        }
        return LabelValues.FromUtf8(_unescaped.AsSpan(0, reader.CopyString(_unescaped)));
    }
}
