using System.Runtime.InteropServices;
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
/// The stored lines are slices of the body, which must outlive the append.
/// </summary>
internal sealed class BulkRequestParser
{
    private static readonly byte[][] s_timeFields = ["@timestamp"u8.ToArray(), "time"u8.ToArray(), "timestamp"u8.ToArray(), "ts"u8.ToArray()];

    /// <summary>Bytes of an id made from the document's SHA-256 when the action gives none (24 hex digits).</summary>
    private const int GeneratedIdBytes = 12;

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
        var span = body.Span;
        // An action line and a document line per item.
        var items = new List<BulkItem>((span.Count((byte)'\n') / 2) + 1);
        var documents = 0;
        var position = 0;
        var lineNumber = 0;
        // Clients send one index for a whole request, or a few: its name and prefix are made once, not per document.
        var recentIndex = "";
        var prefixed = "";
        var prefix = "";
        while (position < span.Length)
        {
            var actionLine = NextLine(body, ref position, ref lineNumber);
            if (actionLine.IsEmpty)
            {
                continue;
            }
            var (action, index, id, actionError) = ReadAction(actionLine.Span, defaultIndex, ref recentIndex);
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
            if (!ReferenceEquals(index, prefixed))
            {
                prefixed = index;
                prefix = IndexPrefix(index);
            }
            if (!TryAddDocument(document, prefix, ref id, streams, out var reason))
            {
                items.Add(new BulkItem(action, index, id, 400, "mapper_parsing_exception", $"line {lineNumber}: {reason}"));
                continue;
            }
            documents++;
            items.Add(new BulkItem(action, index, id, 201));
        }
        return new Result([.. streams.Values], items, documents);
    }

    private bool TryAddDocument(ReadOnlyMemory<byte> document, string indexPrefix, ref string id, Dictionary<LabelSet, LogStreamBatch> streams,
        out string reason)
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
            LabelSet labels;
            try
            {
                labels = _labels.LabelsOf(root, new Label("index", indexPrefix));
            }
            catch (FormatException e)
            {
                reason = e.Message;
                return false;
            }
            if (!streams.TryGetValue(labels, out var stream))
            {
                streams[labels] = stream = new LogStreamBatch(labels);
            }
            stream.Entries.Add(new LogEntry(TimestampOf(root), document));
            if (id.Length == 0)
            {
                Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
                SHA256.HashData(document.Span, hash);
                id = Convert.ToHexStringLower(hash[..GeneratedIdBytes]);
            }
            return true;
        }
    }

    private long TimestampOf(JsonElement root)
    {
        Span<byte> scratch = stackalloc byte[JsonStrings.MaxShortBytes];
        foreach (var field in s_timeFields)
        {
            if (!root.TryGetProperty(field, out var value))
            {
                continue;
            }
            if (value.ValueKind == JsonValueKind.String)
            {
                if (TimestampDetector.TryParse(JsonStrings.ForParsing(value, scratch), 0, out var nanos))
                {
                    return nanos;
                }
            }
            else if (value.ValueKind == JsonValueKind.Number && TimestampDetector.TryParse(JsonMarshal.GetRawUtf8Value(value), 0, out var epoch))
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

    /// <summary>The action, index and id of an action line; <paramref name="recentIndex"/> is reused when the index is the same.</summary>
    private static (string Action, string Index, string Id, string? Error) ReadAction(ReadOnlySpan<byte> line, string? defaultIndex,
        ref string recentIndex)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            {
                return ("index", defaultIndex ?? "", "", "expected an action object such as {\"index\":{}}");
            }
            var action = ActionName(ref reader);
            var index = defaultIndex ?? "";
            var id = "";
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (action, index, id, "the action's value must be an object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isIndex = reader.ValueTextEquals("_index"u8);
                var isId = !isIndex && reader.ValueTextEquals("_id"u8);
                reader.Read();
                if (isIndex && reader.TokenType == JsonTokenType.String)
                {
                    index = reader.ValueTextEquals(recentIndex) ? recentIndex : recentIndex = reader.GetString()!;
                }
                else if (isId && reader.TokenType == JsonTokenType.String)
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

    /// <summary>The action's name, the usual ones as constants so that an action line builds no string.</summary>
    private static string ActionName(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("index"u8) ? "index"
        : reader.ValueTextEquals("create"u8) ? "create"
        : reader.ValueTextEquals("delete"u8) ? "delete"
        : reader.ValueTextEquals("update"u8) ? "update"
        : reader.GetString()!;

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
