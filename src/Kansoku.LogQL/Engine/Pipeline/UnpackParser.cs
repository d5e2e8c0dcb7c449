using System.Text.Json;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| unpack</c> (Loki's <c>UnpackParser</c>, the reverse of Promtail's <c>pack</c>): when the line is a JSON object with
/// an <c>_entry</c> string, its other string fields become labels and <c>_entry</c> becomes the line. Without
/// <c>_entry</c> nothing changes. A line that is not a JSON object sets <c>__error__="JSONParserErr"</c>.
/// </summary>
internal sealed class UnpackParser : Stage
{
    private const string NotAnObject = "expecting json object(6), but it is not";

    private readonly List<(string Name, string Value)> _pending = [];
    private readonly KeyInterner _keys = new();
    private readonly Utf16Buffer _keyChars = new();
    private readonly ScratchBuffer _entry = new();
    private readonly ScratchBuffer _unescaped = new();

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        if (line.IsEmpty || labels.Hints.NoLabels)
        {
            return true;
        }
        if (line[0] != '{')
        {
            labels.SetError(LokiLabels.JsonParserError, NotAnObject);
            return true;
        }
        _pending.Clear();
        var entryLength = -1;
        try
        {
            var reader = new Utf8JsonReader(line);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEntry = reader.ValueTextEquals(LokiLabels.PackedEntry);
                var key = isEntry ? "" : _keys.Get(_keyChars.Decode(reader.ValueSpan));
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    continue;
                }
                if (isEntry)
                {
                    var buffer = _entry.ForLength(reader.ValueSpan.Length);
                    entryLength = reader.CopyString(buffer);
                    continue;
                }
                if (labels.BaseHas(key))
                {
                    key += LokiLabels.ExtractedSuffix;
                }
                var hints = labels.Hints;
                if (!hints.ShouldExtract(key) || hints.Extracted(key))
                {
                    continue;
                }
                var unescaped = _unescaped.ForLength(reader.ValueSpan.Length);
                _pending.Add((LabelKeys.Sanitize(key), LabelValues.FromUtf8(unescaped.AsSpan(0, reader.CopyString(unescaped)))));
            }
            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw new JsonException();
            }
        }
        catch (JsonException)
        {
            labels.SetError(LokiLabels.JsonParserError, "Value looks like object, but can't find closing '}' symbol");
            return true;
        }
        catch (InvalidOperationException)
        {
            labels.SetError(LokiLabels.JsonParserError, "Value looks like object, but can't find closing '}' symbol");
            return true;
        }
        if (entryLength < 0)
        {
            return true;
        }
        foreach (var (name, value) in _pending)
        {
            labels.Set(name, value);
        }
        line = _entry.ForLength(entryLength).AsSpan(0, entryLength);
        return true;
    }
}
