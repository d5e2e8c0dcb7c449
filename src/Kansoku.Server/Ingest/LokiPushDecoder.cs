using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Kansoku.Agent.Parsers.Time;
using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;

namespace Kansoku.Server.Ingest;

/// <summary>
/// Decodes Loki's push API (<c>POST /loki/api/v1/push</c>): the JSON form
/// <c>{"streams":[{"stream":{labels},"values":[["&lt;unix ns&gt;","line"(, {metadata})]]}]}</c>, the legacy JSON form with a
/// <c>labels</c> string and <c>entries</c> of <c>{"ts","line"}</c>, and the snappy-compressed protobuf PushRequest.
/// Lines are slices of the body, or of <see cref="ByteArena"/> memory where they had to be decompressed or unescaped:
/// both must outlive the append. Errors are <see cref="FormatException"/>s whose message a client can act on (answered
/// with 400).
/// </summary>
internal static class LokiPushDecoder
{
    /// <summary>
    /// Snappy's densest element, a 3-byte copy of 64 bytes, expands 21⅓ times: a body whose header claims more is not
    /// snappy, and is refused before its claimed length is rented.
    /// </summary>
    private const int MaxSnappyExpansion = 22;

    // Agents push the same streams request after request; these turn their label text into the same LabelSet again.
    private static readonly LabelSetCache s_protobufLabels = new();
    private static readonly LabelSetCache s_jsonLabels = new();

    public static List<LogStreamBatch> DecodeJson(ReadOnlyMemory<byte> body, ByteArena arena)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the push body is not JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("streams", out var streams) || streams.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("expected {\"streams\":[...]}");
            }
            var batches = new List<LogStreamBatch>(streams.GetArrayLength());
            var index = 0;
            foreach (var stream in streams.EnumerateArray())
            {
                batches.Add(DecodeJsonStream(stream, index++, body, arena));
            }
            return batches;
        }
    }

    private static LogStreamBatch DecodeJsonStream(JsonElement stream, int index, ReadOnlyMemory<byte> body, ByteArena arena)
    {
        var batch = new LogStreamBatch(JsonLabelsOf(stream, index));
        Span<byte> scratch = stackalloc byte[JsonStrings.MaxShortBytes];
        if (stream.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            batch.Entries.Capacity = values.GetArrayLength();
            foreach (var value in values.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() < 2
                    || value[0].ValueKind != JsonValueKind.String || value[1].ValueKind != JsonValueKind.String
                    || !long.TryParse(JsonStrings.ForParsing(value[0], scratch), NumberStyles.None, CultureInfo.InvariantCulture, out var nanos))
                {
                    throw new FormatException($"streams[{index}].values: each value must be [\"<unix epoch in ns>\", \"<line>\"]");
                }
                batch.Entries.Add(new LogEntry(nanos, JsonLineOf(value[1], index, body, arena)));
            }
        }
        else if (stream.TryGetProperty("entries", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            batch.Entries.Capacity = entries.GetArrayLength();
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object
                    || !entry.TryGetProperty("ts", out var ts) || ts.ValueKind != JsonValueKind.String
                    || !entry.TryGetProperty("line", out var line) || line.ValueKind != JsonValueKind.String
                    || !Rfc3339.TryParse(JsonStrings.ForParsing(ts, scratch), out var nanos))
                {
                    throw new FormatException($"streams[{index}].entries: each entry must be {{\"ts\": \"<RFC 3339>\", \"line\": \"...\"}}");
                }
                batch.Entries.Add(new LogEntry(nanos, JsonLineOf(line, index, body, arena)));
            }
        }
        return batch;
    }

    private static LabelSet JsonLabelsOf(JsonElement stream, int index)
    {
        JsonElement source;
        if (stream.ValueKind == JsonValueKind.Object && stream.TryGetProperty("stream", out var labelObject) && labelObject.ValueKind == JsonValueKind.Object)
        {
            source = labelObject;
        }
        else if (stream.ValueKind == JsonValueKind.Object && stream.TryGetProperty("labels", out var labelText) && labelText.ValueKind == JsonValueKind.String)
        {
            source = labelText;
        }
        else
        {
            throw new FormatException($"streams[{index}]: no \"stream\" label object");
        }
        // The labels are a function of the label object's (or text's) bytes, so the bytes are the cache key.
        var key = JsonMarshal.GetRawUtf8Value(source);
        if (s_jsonLabels.TryGet(key, out var labels))
        {
            return labels;
        }
        if (source.ValueKind == JsonValueKind.String)
        {
            labels = LabelSetParser.Parse(source.GetString()!);
        }
        else
        {
            var list = new List<Label>();
            foreach (var property in source.EnumerateObject())
            {
                list.Add(new Label(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText()));
            }
            labels = LabelSet.From(list);
        }
        Validate(labels, index);
        s_jsonLabels.Add(key, labels);
        return labels;
    }

    /// <summary>A line as a slice of the body when it has no escapes, else unescaped into the arena.</summary>
    private static ReadOnlyMemory<byte> JsonLineOf(JsonElement line, int index, ReadOnlyMemory<byte> body, ByteArena arena)
    {
        var raw = JsonStrings.Raw(line);
        if (!JsonStrings.IsEscaped(raw) && body.Span.Overlaps(raw, out var offset))
        {
            return Utf8.IsValid(raw) ? body.Slice(offset, raw.Length) : throw new FormatException($"streams[{index}]: a line is not valid UTF-8");
        }
        try
        {
            return arena.Commit(JsonStrings.Unescape(line, arena.GetSpan(raw.Length)));
        }
        catch (FormatException e)
        {
            throw new FormatException($"streams[{index}]: a line is not valid text: {e.Message}", e);
        }
    }

    /// <summary>The snappy (block format) compressed protobuf <c>logproto.PushRequest</c> Promtail and Fluent Bit send.</summary>
    public static List<LogStreamBatch> DecodeProtobuf(ReadOnlyMemory<byte> body, ByteArena arena)
    {
        ReadOnlyMemory<byte> message;
        try
        {
            var length = Snappier.Snappy.GetUncompressedLength(body.Span);
            if (length > (long)body.Length * MaxSnappyExpansion)
            {
                throw new InvalidDataException($"its header claims {length} bytes, more than {body.Length} compressed bytes can hold");
            }
            message = arena.Commit(Snappier.Snappy.Decompress(body.Span, arena.GetSpan(length)));
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new FormatException($"the push body is not snappy-compressed protobuf (logproto.PushRequest): {e.Message}", e);
        }
        return PushRequestReader.Read(message, s_protobufLabels);
    }

    internal static void Validate(LabelSet labels, int index)
    {
        if (labels.Count == 0)
        {
            throw new FormatException($"streams[{index}]: a stream needs at least one label");
        }
        foreach (var label in labels.AsSpan())
        {
            if (!LabelSetParser.IsValidName(label.Name))
            {
                throw new FormatException($"streams[{index}]: invalid label name '{label.Name}'");
            }
        }
    }
}
