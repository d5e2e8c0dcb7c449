using System.Text.Json;
using System.Text.Json.Nodes;
using Kansoku.Agent.Kubernetes;

namespace Kansoku.Agent.Pipeline;

/// <summary>
/// One log record on its way through the agent: Inputs -> Parsers -> Filters -> Outputs.
/// </summary>
/// <remarks>
/// Parsed fields live in one of two forms. Parsers store them as a raw UTF-8 JSON object
/// (<see cref="SetRawFields"/>), which the writer splices into the output without building a tree:
/// this is the fast path for tail + parse + write. Filters that read or change fields call
/// <see cref="Fields"/>, which materialises a <see cref="JsonObject"/> once; from then on the tree is
/// the truth and the raw bytes are ignored.
/// A record is owned by one pipeline stage at a time; it is not thread-safe.
/// </remarks>
internal sealed class LogRecord
{
    private ReadOnlyMemory<byte> _rawFields;
    private JsonObject? _fields;

    /// <summary>Event time, nanoseconds since the Unix epoch (UTC).</summary>
    public long TimeUnixNano { get; set; }

    public LogStream Stream { get; set; }

    /// <summary>The container's line without its terminator (Fluent Bit's <c>log</c>), UTF-8.</summary>
    public ReadOnlyMemory<byte> Content { get; set; }

    /// <summary>Whether <c>log</c> is written beside parsed fields (Fluent Bit's Keep_Log). Without fields it is always written.</summary>
    public bool KeepLog { get; set; } = true;

    /// <summary>Normalised severity, when a parser found one.</summary>
    public Severity Severity { get; set; }

    /// <summary>
    /// True when the parsed fields already hold a <c>level</c> key with the normalised value; otherwise the writer adds
    /// <c>"level":"…"</c> for a known <see cref="Severity"/>.
    /// </summary>
    public bool LevelInFields { get; set; }

    /// <summary>Routing tag (Fluent Bit's tag), matched by filters' and outputs' Match patterns.</summary>
    public string Tag { get; set; } = "";

    /// <summary>Where the record was read; shared by every record of one file.</summary>
    public LogSource? Source { get; set; }

    /// <summary>Kubernetes metadata for the record's container; shared by every record of one container.</summary>
    public KubernetesMetadata? Kubernetes { get; set; }

    /// <summary>Byte offset in the source file of the record's first line.</summary>
    public long SourceOffset { get; set; }

    /// <summary>Byte offset in the source file just past the record's last line (what a checkpoint may advance to).</summary>
    public long SourceEndOffset { get; set; }

    public bool HasFields => _fields is not null || !_rawFields.IsEmpty;

    /// <summary>A parser matched the content (Keep_Log Off drops <c>log</c> only then, as Fluent Bit's Merge_Log does).</summary>
    public bool ParsedFromContent { get; set; }

    /// <summary>Which writer-owned keys the raw fields hold, as the parser that stored them saw; see <see cref="ReservedFields"/>.</summary>
    public ReservedFields RawFieldsReserved { get; set; }

    /// <summary>Which writer-owned keys the fields hold now (raw or materialised).</summary>
    public ReservedFields ReservedInFields =>
        _fields is not null ? ReservedFieldNames.Of(_fields) : _rawFields.IsEmpty ? ReservedFields.None : RawFieldsReserved;

    /// <summary>True while the fields are still the raw bytes a parser stored (no filter has touched them).</summary>
    public bool TryGetRawFields(out ReadOnlyMemory<byte> rawJsonObject)
    {
        rawJsonObject = _rawFields;
        return _fields is null && !_rawFields.IsEmpty;
    }

    /// <summary>Stores parsed fields as a UTF-8 JSON object (must start with '{'); drops any materialised tree.</summary>
    public void SetRawFields(ReadOnlyMemory<byte> rawJsonObject)
    {
        _rawFields = rawJsonObject;
        _fields = null;
    }

    /// <summary>The parsed fields as a mutable tree, created empty when there are none.</summary>
    public JsonObject Fields
    {
        get
        {
            if (_fields is null)
            {
                _fields = _rawFields.IsEmpty
                    ? new JsonObject()
                    : JsonNode.Parse(_rawFields.Span, documentOptions: s_documentOptions) as JsonObject ?? new JsonObject();
                _rawFields = default;
            }
            return _fields;
        }
    }

    /// <summary>Removes every parsed field.</summary>
    public void ClearFields()
    {
        _fields = null;
        _rawFields = default;
    }

    public string ContentAsString() => System.Text.Encoding.UTF8.GetString(Content.Span);

    private static readonly JsonDocumentOptions s_documentOptions = new() { AllowDuplicateProperties = true };
}
