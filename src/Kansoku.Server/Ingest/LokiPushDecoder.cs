using System.Globalization;
using System.Text.Json;
using Kansoku.Agent.Parsers.Time;
using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;

namespace Kansoku.Server.Ingest;

/// <summary>
/// Decodes Loki's push API (<c>POST /loki/api/v1/push</c>): the JSON form
/// <c>{"streams":[{"stream":{labels},"values":[["&lt;unix ns&gt;","line"(, {metadata})]]}]}</c>, the legacy JSON form with a
/// <c>labels</c> string and <c>entries</c> of <c>{"ts","line"}</c>, and the snappy-compressed protobuf PushRequest, whose
/// lines are slices of the <see cref="ByteArena"/> it is decompressed into, which must outlive the append. Errors are
/// <see cref="FormatException"/>s whose message a client can act on (answered with 400).
/// </summary>
internal static class LokiPushDecoder
{
    /// <summary>
    /// Snappy's densest element, a 3-byte copy of 64 bytes, expands 21⅓ times: a body whose header claims more is not
    /// snappy, and is refused before its claimed length is rented.
    /// </summary>
    private const int MaxSnappyExpansion = 22;

    /// <summary>Agents push the same streams request after request; this turns their label text into the same LabelSet again.</summary>
    private static readonly LabelSetCache s_protobufLabels = new();

    public static List<LogStreamBatch> DecodeJson(ReadOnlyMemory<byte> body)
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
                batches.Add(DecodeJsonStream(stream, index++));
            }
            return batches;
        }
    }

    private static LogStreamBatch DecodeJsonStream(JsonElement stream, int index)
    {
        LabelSet labels;
        if (stream.TryGetProperty("stream", out var labelObject) && labelObject.ValueKind == JsonValueKind.Object)
        {
            var list = new List<Label>();
            foreach (var property in labelObject.EnumerateObject())
            {
                list.Add(new Label(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText()));
            }
            labels = LabelSet.From(list);
        }
        else if (stream.TryGetProperty("labels", out var labelText) && labelText.ValueKind == JsonValueKind.String)
        {
            labels = LabelSetParser.Parse(labelText.GetString()!);
        }
        else
        {
            throw new FormatException($"streams[{index}]: no \"stream\" label object");
        }
        Validate(labels, index);
        var batch = new LogStreamBatch(labels);
        if (stream.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (var value in values.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() < 2
                    || value[0].ValueKind != JsonValueKind.String || value[1].ValueKind != JsonValueKind.String
                    || !long.TryParse(value[0].GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var nanos))
                {
                    throw new FormatException($"streams[{index}].values: each value must be [\"<unix epoch in ns>\", \"<line>\"]");
                }
                batch.Entries.Add(new LogEntry(nanos, System.Text.Encoding.UTF8.GetBytes(value[1].GetString()!)));
            }
        }
        else if (stream.TryGetProperty("entries", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (!entry.TryGetProperty("ts", out var ts) || ts.ValueKind != JsonValueKind.String
                    || !entry.TryGetProperty("line", out var line) || line.ValueKind != JsonValueKind.String
                    || !Rfc3339.TryParse(System.Text.Encoding.UTF8.GetBytes(ts.GetString()!), out var nanos))
                {
                    throw new FormatException($"streams[{index}].entries: each entry must be {{\"ts\": \"<RFC 3339>\", \"line\": \"...\"}}");
                }
                batch.Entries.Add(new LogEntry(nanos, System.Text.Encoding.UTF8.GetBytes(line.GetString()!)));
            }
        }
        return batch;
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
