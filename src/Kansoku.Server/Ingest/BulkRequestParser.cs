using System.Security.Cryptography;
using System.Text.Json;
using Kansoku.Agent.Parsers.Time;
using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;
using Kansoku.Core.Time;

namespace Kansoku.Server.Ingest;

/// <summary>
/// Reads an Elasticsearch / OpenSearch <c>_bulk</c> body (NDJSON: an action line, then a document line) into log
/// streams, as Fluent Bit, Fluentd, Filebeat and rsyslog send it. <c>index</c> and <c>create</c> are stored: the document
/// becomes the line, its labels come from <see cref="StreamLabelRules"/> plus <c>index</c> = the index name without a
/// logstash date suffix. Other actions (delete, update) are refused per item, as a read-only log store must.
/// </summary>
internal sealed class BulkRequestParser
{
    private static readonly string[] s_timeFields = ["@timestamp", "time", "timestamp", "ts"];

    private readonly StreamLabelRules _labels;
    private readonly TimeProvider _time;

    public BulkRequestParser(StreamLabelRules labels, TimeProvider time)
    {
        _labels = labels;
        _time = time;
    }

    public sealed record Result(List<LogStreamBatch> Streams, List<BulkItem> Items, int Documents);

    /// <summary>Parses the body; <paramref name="defaultIndex"/> is the index from the URL (<c>/{index}/_bulk</c>).</summary>
    public Result Parse(ReadOnlyMemory<byte> body, string? defaultIndex)
    {
        var streams = new Dictionary<LabelSet, LogStreamBatch>();
        var items = new List<BulkItem>();
        var documents = 0;
        var span = body.Span;
        var position = 0;
        var lineNumber = 0;
        while (position < span.Length)
        {
            var actionLine = NextLine(body, ref position, ref lineNumber);
            if (actionLine.IsEmpty)
            {
                continue;
            }
            var (action, index, id, actionError) = ReadAction(actionLine.Span, defaultIndex);
            if (action is "delete")
            {
                items.Add(new BulkItem(action, index, id, 400, "illegal_argument_exception", "kansoku keeps logs immutable: delete is not supported"));
                continue;
            }
            var document = NextLine(body, ref position, ref lineNumber);
            if (actionError is not null)
            {
                items.Add(new BulkItem(action, index, id, 400, "illegal_argument_exception", $"line {lineNumber - 1}: {actionError}"));
                continue;
            }
            if (action is not ("index" or "create"))
            {
                items.Add(new BulkItem(action, index, id, 400, "illegal_argument_exception", $"kansoku stores index and create actions, not {action}"));
                continue;
            }
            if (!TryAddDocument(document, index, ref id, streams, out var reason))
            {
                items.Add(new BulkItem(action, index, id, 400, "mapper_parsing_exception", $"line {lineNumber}: {reason}"));
                continue;
            }
            documents++;
            items.Add(new BulkItem(action, index, id, 201));
        }
        return new Result([.. streams.Values], items, documents);
    }

    private bool TryAddDocument(ReadOnlyMemory<byte> document, string index, ref string id, Dictionary<LabelSet, LogStreamBatch> streams, out string reason)
    {
        reason = "";
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(document);
        }
        catch (JsonException e)
        {
            reason = $"failed to parse the document: {e.Message}";
            return false;
        }
        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "the document is not a JSON object";
                return false;
            }
            var labels = _labels.LabelsOf(root, index.Length > 0 ? [new Label("index", IndexPrefix(index))] : []);
            if (!streams.TryGetValue(labels, out var stream))
            {
                streams[labels] = stream = new LogStreamBatch(labels);
            }
            var line = document.ToArray();
            stream.Entries.Add(new LogEntry(TimestampOf(root), line));
            if (id.Length == 0)
            {
                id = Convert.ToHexStringLower(SHA256.HashData(line).AsSpan(0, 12));
            }
            return true;
        }
    }

    private long TimestampOf(JsonElement root)
    {
        foreach (var field in s_timeFields)
        {
            if (!root.TryGetProperty(field, out var value))
            {
                continue;
            }
            if (value.ValueKind == JsonValueKind.String)
            {
                var text = System.Text.Encoding.UTF8.GetBytes(value.GetString()!);
                if (TimestampDetector.TryParse(text, 0, out var nanos))
                {
                    return nanos;
                }
            }
            else if (value.ValueKind == JsonValueKind.Number && TimestampDetector.TryParse(System.Text.Encoding.UTF8.GetBytes(value.GetRawText()), 0, out var epoch))
            {
                return epoch;
            }
        }
        return _time.NowNanos();
    }

    /// <summary>logstash_format indexes are <c>prefix-YYYY.MM.DD</c>; the prefix names the stream.</summary>
    internal static string IndexPrefix(string index)
    {
        var dash = index.LastIndexOf('-');
        if (dash > 0 && index.Length - dash - 1 == 10 && index[dash + 5] == '.' && index[dash + 8] == '.'
            && char.IsAsciiDigit(index[dash + 1]) && char.IsAsciiDigit(index[^1]))
        {
            return index[..dash];
        }
        return index;
    }

    private static (string Action, string Index, string Id, string? Error) ReadAction(ReadOnlySpan<byte> line, string? defaultIndex)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            {
                return ("index", defaultIndex ?? "", "", "expected an action object such as {\"index\":{}}");
            }
            var action = reader.GetString()!;
            var index = defaultIndex ?? "";
            var id = "";
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (action, index, id, "the action's value must be an object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "_index" && reader.TokenType == JsonTokenType.String)
                {
                    index = reader.GetString()!;
                }
                else if (name == "_id" && reader.TokenType == JsonTokenType.String)
                {
                    id = reader.GetString()!;
                }
                else
                {
                    reader.Skip();
                }
            }
            return (action, index, id, null);
        }
        catch (JsonException e)
        {
            return ("index", defaultIndex ?? "", "", $"malformed action line: {e.Message}");
        }
    }

    private static ReadOnlyMemory<byte> NextLine(ReadOnlyMemory<byte> body, ref int position, ref int lineNumber)
    {
        var rest = body.Span[position..];
        var newline = rest.IndexOf((byte)'\n');
        var length = newline < 0 ? rest.Length : newline;
        var line = body.Slice(position, length);
        position += newline < 0 ? rest.Length : newline + 1;
        lineNumber++;
        var trimmed = line.Span.TrimEnd((byte)'\r');
        return line[..trimmed.Length];
    }
}
