using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Kansoku.Api.Contracts.Loki;
using Kansoku.Agent.Outputs.Records;

namespace Kansoku.Agent.Outputs.Loki;

/// <summary>
/// Groups a batch's records into Loki streams by label set and encodes the push body (JSON, or protobuf + snappy).
/// Reused batch after batch by one sender; label strings are built in a reused char buffer and looked up by span,
/// so only a stream seen for the first time in a batch allocates.
/// </summary>
internal sealed class LokiPushBuilder : IDisposable
{
    // Loki refuses a stream without labels, which would fail the whole push; such records get Fluent Bit's default.
    private static readonly KeyValuePair<string, string>[] s_fallbackPairs = [new("job", "fluent-bit")];
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly LokiConfig _config;
    private readonly Dictionary<string, LokiStream> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LokiStream>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<LokiStream> _order = [];
    private readonly ArrayBufferWriter<byte> _lines = new();
    private readonly ArrayBufferWriter<byte> _body = new();
    private readonly Utf8JsonWriter _lineWriter;
    private readonly Utf8JsonWriter _bodyWriter;
    private readonly List<(int NameStart, int NameLength, int ValueStart, int ValueLength)> _pairs = [];
    private char[] _scratch = new char[512];
    private int _scratchLength;
    private char[] _key = new char[512];
    private int _keyLength;
    private ReadOnlyMemory<byte> _source;

    public LokiPushBuilder(LokiConfig config)
    {
        _config = config;
        _lookup = _streams.GetAlternateLookup<ReadOnlySpan<char>>();
        _lineWriter = new Utf8JsonWriter(_lines, s_writerOptions);
        _bodyWriter = new Utf8JsonWriter(_body, s_writerOptions);
    }

    public IReadOnlyList<LokiStream> Streams => _order;

    public void Dispose()
    {
        _lineWriter.Dispose();
        _bodyWriter.Dispose();
    }

    public int EntryCount { get; private set; }

    /// <summary>Groups the batch. Returns how many lines were not JSON objects (they are skipped).</summary>
    public int Build(ReadOnlyMemory<byte> ndjson, long nowUnixNanos)
    {
        _streams.Clear();
        _order.Clear();
        _lines.Clear();
        EntryCount = 0;
        _source = ndjson;
        var invalid = 0;
        var span = ndjson.Span;
        var start = 0;
        while (start < span.Length)
        {
            var newline = span[start..].IndexOf((byte)'\n');
            var end = newline < 0 ? span.Length : start + newline;
            var length = end - start;
            if (length > 0 && span[end - 1] == '\r')
            {
                length--;
            }
            if (length > 0)
            {
                invalid += AddRecord(start, length, nowUnixNanos) ? 0 : 1;
            }
            start = end + 1;
        }
        return invalid;
    }

    public ReadOnlyMemory<byte> EncodeJson()
    {
        _body.Clear();
        _bodyWriter.Reset(_body);
        var writer = _bodyWriter;
        Span<byte> digits = stackalloc byte[24];
        writer.WriteStartObject();
        writer.WriteStartArray("streams"u8);
        foreach (var stream in _order)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("stream"u8);
            foreach (var pair in stream.Pairs)
            {
                writer.WriteString(pair.Key, pair.Value);
            }
            writer.WriteEndObject();
            writer.WriteStartArray("values"u8);
            foreach (var entry in stream.Entries)
            {
                writer.WriteStartArray();
                Utf8Formatter.TryFormat(entry.UnixNanos, digits, out var written);
                writer.WriteStringValue(digits[..written]);
                writer.WriteStringValue(Line(entry));
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return _body.WrittenMemory;
    }

    /// <summary>logproto.PushRequest, snappy block-compressed, as Loki's push endpoint takes it.</summary>
    public byte[] EncodeProtobuf()
    {
        var request = new PushRequest();
        foreach (var stream in _order)
        {
            var adapter = new StreamAdapter { Labels = stream.Labels };
            foreach (var entry in stream.Entries)
            {
                adapter.Entries.Add(new EntryAdapter
                {
                    Timestamp = new Timestamp
                    {
                        Seconds = Math.DivRem(entry.UnixNanos, RecordTime.NanosPerSecond, out var nanos) - (nanos < 0 ? 1 : 0),
                        Nanos = (int)(nanos < 0 ? nanos + RecordTime.NanosPerSecond : nanos),
                    },
                    Line = Encoding.UTF8.GetString(Line(entry)),
                });
            }
            request.Streams.Add(adapter);
        }
        return Snappier.Snappy.CompressToArray(request.ToByteArray());
    }

    private ReadOnlySpan<byte> Line(LokiEntry entry) =>
        (entry.Rewritten ? _lines.WrittenSpan : _source.Span).Slice(entry.Start, entry.Length);

    private bool AddRecord(int start, int length, long nowUnixNanos)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(_source.Slice(start, length));
        }
        catch (JsonException)
        {
            return false;
        }
        using (document)
        {
            var record = document.RootElement;
            if (record.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            var nanos = RecordTime.TryGetUnixNanos(record, out var parsed) ? parsed : nowUnixNanos;
            var stream = FindStream(record);
            LokiEntry entry;
            if (_config.LineFormat == LokiLineFormat.Json && _config.RemoveKeys.Count == 0)
            {
                entry = new LokiEntry(nanos, start, length, Rewritten: false);
            }
            else
            {
                var lineStart = _lines.WrittenCount;
                WriteLine(record);
                entry = new LokiEntry(nanos, lineStart, _lines.WrittenCount - lineStart, Rewritten: true);
            }
            stream.Entries.Add(entry);
            EntryCount++;
            return true;
        }
    }

    private LokiStream FindStream(JsonElement record)
    {
        _scratchLength = 0;
        _pairs.Clear();
        foreach (var label in _config.Labels)
        {
            if (label.StaticValue is not null)
            {
                AddPair(label.Name, label.StaticValue);
                continue;
            }
            foreach (var accessor in label.Accessors)
            {
                if (accessor.TryGet(record, out var value) && TryAddPair(label.Name, value))
                {
                    break;
                }
            }
        }
        if (_config.AutoKubernetesLabels && record.TryGetProperty("kubernetes"u8, out var kubernetes) &&
            kubernetes.ValueKind == JsonValueKind.Object && kubernetes.TryGetProperty("labels"u8, out var podLabels) &&
            podLabels.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in podLabels.EnumerateObject())
            {
                var name = LokiLabel.SanitizeName(property.Name);
                if (!HasPair(name))
                {
                    TryAddPair(name, property.Value);
                }
            }
        }
        SortPairs();
        RenderKey();
        var key = _key.AsSpan(0, _keyLength);
        if (_lookup.TryGetValue(key, out var stream))
        {
            return stream;
        }
        var pairs = new KeyValuePair<string, string>[_pairs.Count];
        for (var i = 0; i < pairs.Length; i++)
        {
            var (nameStart, nameLength, valueStart, valueLength) = _pairs[i];
            pairs[i] = new(new string(_scratch, nameStart, nameLength), new string(_scratch, valueStart, valueLength));
        }
        stream = new LokiStream(new string(key), pairs.Length > 0 ? pairs : s_fallbackPairs);
        _streams.Add(stream.Labels, stream);
        _order.Add(stream);
        return stream;
    }

    private void AddPair(string name, string value)
    {
        var nameStart = Append(name);
        var valueStart = Append(value);
        _pairs.Add((nameStart, name.Length, valueStart, value.Length));
    }

    /// <summary>Adds a scalar value; empty strings, null, maps and arrays are treated as missing.</summary>
    private bool TryAddPair(string name, JsonElement value)
    {
        var nameStart = Append(name);
        var valueStart = _scratchLength;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
                if (raw.IsEmpty)
                {
                    _scratchLength = nameStart;
                    return false;
                }
                if (raw.Contains((byte)'\\'))
                {
                    Append(value.GetString()!);
                }
                else
                {
                    AppendUtf8(raw);
                }
                break;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                AppendUtf8(JsonMarshal.GetRawUtf8Value(value));
                break;
            default:
                _scratchLength = nameStart;
                return false;
        }
        _pairs.Add((nameStart, name.Length, valueStart, _scratchLength - valueStart));
        return true;
    }

    private bool HasPair(string name)
    {
        foreach (var pair in _pairs)
        {
            if (_scratch.AsSpan(pair.NameStart, pair.NameLength).SequenceEqual(name))
            {
                return true;
            }
        }
        return false;
    }

    private void SortPairs()
    {
        // Insertion sort: a handful of labels, already sorted unless auto_kubernetes_labels added some.
        for (var i = 1; i < _pairs.Count; i++)
        {
            var current = _pairs[i];
            var j = i - 1;
            while (j >= 0 && _scratch.AsSpan(_pairs[j].NameStart, _pairs[j].NameLength)
                       .SequenceCompareTo(_scratch.AsSpan(current.NameStart, current.NameLength)) > 0)
            {
                _pairs[j + 1] = _pairs[j];
                j--;
            }
            _pairs[j + 1] = current;
        }
    }

    private void RenderKey()
    {
        _keyLength = 0;
        if (_pairs.Count == 0)
        {
            AppendKey("{job=\"fluent-bit\"}");
            return;
        }
        AppendKey("{");
        for (var i = 0; i < _pairs.Count; i++)
        {
            var (nameStart, nameLength, valueStart, valueLength) = _pairs[i];
            if (i > 0)
            {
                AppendKey(", ");
            }
            AppendKey(_scratch.AsSpan(nameStart, nameLength));
            AppendKey("=\"");
            foreach (var c in _scratch.AsSpan(valueStart, valueLength))
            {
                switch (c)
                {
                    case '\\':
                        AppendKey("\\\\");
                        break;
                    case '"':
                        AppendKey("\\\"");
                        break;
                    case '\n':
                        AppendKey("\\n");
                        break;
                    default:
                        AppendKey(new ReadOnlySpan<char>(in c));
                        break;
                }
            }
            AppendKey("\"");
        }
        AppendKey("}");
    }

    private void AppendKey(ReadOnlySpan<char> text)
    {
        if (_keyLength + text.Length > _key.Length)
        {
            Array.Resize(ref _key, Math.Max(_key.Length * 2, _keyLength + text.Length));
        }
        text.CopyTo(_key.AsSpan(_keyLength));
        _keyLength += text.Length;
    }

    private int Append(ReadOnlySpan<char> text)
    {
        EnsureScratch(text.Length);
        var start = _scratchLength;
        text.CopyTo(_scratch.AsSpan(start));
        _scratchLength += text.Length;
        return start;
    }

    private void AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        EnsureScratch(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        _scratchLength += Encoding.UTF8.GetChars(utf8, _scratch.AsSpan(_scratchLength));
    }

    private void EnsureScratch(int more)
    {
        if (_scratchLength + more > _scratch.Length)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchLength + more));
        }
    }

    private void WriteLine(JsonElement record)
    {
        if (_config.LineFormat == LokiLineFormat.Json)
        {
            _lineWriter.Reset(_lines);
            WriteObject(_lineWriter, record, 0, _config.RemoveKeys);
            _lineWriter.Flush();
            return;
        }
        var first = true;
        foreach (var property in record.EnumerateObject())
        {
            if (IsRemoved(property, 0, _config.RemoveKeys, out var nested))
            {
                continue;
            }
            if (!first)
            {
                _lines.Write(" "u8);
            }
            first = false;
            _lines.Write(Encoding.UTF8.GetBytes(property.Name));
            _lines.Write("="u8);
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.String)
            {
                var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1];
                _lines.Write(raw.Contains((byte)'\\') ? Encoding.UTF8.GetBytes(value.GetString()!) : raw);
            }
            else if (value.ValueKind == JsonValueKind.Object && nested.Count > 0)
            {
                _lineWriter.Reset(_lines);
                WriteObject(_lineWriter, value, 1, nested);
                _lineWriter.Flush();
            }
            else
            {
                _lines.Write(JsonMarshal.GetRawUtf8Value(value));
            }
        }
    }

    /// <summary>Writes <paramref name="value"/> without the keys that <paramref name="remove"/> names at this depth.</summary>
    private static void WriteObject(Utf8JsonWriter writer, JsonElement value, int depth, IReadOnlyList<RecordAccessor> remove)
    {
        writer.WriteStartObject();
        foreach (var property in value.EnumerateObject())
        {
            if (IsRemoved(property, depth, remove, out var nested))
            {
                continue;
            }
            if (nested.Count > 0 && property.Value.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName(property.Name);
                WriteObject(writer, property.Value, depth + 1, nested);
            }
            else
            {
                property.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>True when an accessor ends at this property; <paramref name="nested"/> gets the ones that go deeper.</summary>
    private static bool IsRemoved(JsonProperty property, int depth, IReadOnlyList<RecordAccessor> remove, out List<RecordAccessor> nested)
    {
        nested = [];
        foreach (var accessor in remove)
        {
            if (accessor.Path.Count > depth && property.NameEquals(accessor.Path[depth]))
            {
                if (accessor.Path.Count == depth + 1)
                {
                    return true;
                }
                nested.Add(accessor);
            }
        }
        return false;
    }
}
