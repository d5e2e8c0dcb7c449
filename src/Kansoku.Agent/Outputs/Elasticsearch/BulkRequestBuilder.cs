using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Runtime.InteropServices;
using Kansoku.Agent.Outputs.Records;

namespace Kansoku.Agent.Outputs.Elasticsearch;

/// <summary>
/// Turns a batch into an <c>_bulk</c> body: per record an action line
/// <c>{"create":{"_index":"prefix-2026.11.25","_id":"…"}}</c> and the document: the record with dots in keys
/// replaced (replace_dots) and the time key (<c>@timestamp</c>) added from <c>time</c>. One streaming pass per
/// record (Utf8JsonReader → Utf8JsonWriter); reused batch after batch by one sender.
/// </summary>
internal sealed class BulkRequestBuilder : IDisposable
{
    private const int IdHashBytes = 16;
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ElasticsearchConfig _config;
    private readonly ArrayBufferWriter<byte> _body = new();
    private readonly ArrayBufferWriter<byte> _document = new();
    private readonly Utf8JsonWriter _bodyWriter;
    private readonly Utf8JsonWriter _documentWriter;
    private readonly byte[] _operation;
    private readonly byte[] _timeKey;
    private readonly char[] _indexChars = new char[256];
    private int _indexLength = -1;
    private byte[] _index;

    public BulkRequestBuilder(ElasticsearchConfig config)
    {
        _config = config;
        _bodyWriter = new Utf8JsonWriter(_body, s_writerOptions);
        _documentWriter = new Utf8JsonWriter(_document, s_writerOptions);
        _operation = Encoding.UTF8.GetBytes(config.WriteOperation);
        _timeKey = Encoding.UTF8.GetBytes(config.TimeKey);
        _index = Encoding.UTF8.GetBytes(config.Index);
    }

    public ReadOnlyMemory<byte> Body => _body.WrittenMemory;

    /// <summary>The source line (start, length) of each bulk item, in request order: item i of the response is line i.</summary>
    public List<(int Start, int Length)> Lines { get; } = [];

    /// <summary>Builds the body; returns how many lines were not JSON objects (left out).</summary>
    public int Build(ReadOnlySpan<byte> ndjson, long nowUnixNanos)
    {
        _body.Clear();
        Lines.Clear();
        var invalid = 0;
        var start = 0;
        while (start < ndjson.Length)
        {
            var newline = ndjson[start..].IndexOf((byte)'\n');
            var end = newline < 0 ? ndjson.Length : start + newline;
            var length = end - start;
            if (length > 0 && ndjson[end - 1] == '\r')
            {
                length--;
            }
            if (length > 0)
            {
                if (AddRecord(ndjson.Slice(start, length), nowUnixNanos))
                {
                    Lines.Add((start, length));
                }
                else
                {
                    invalid++;
                }
            }
            start = end + 1;
        }
        return invalid;
    }

    public void Dispose()
    {
        _bodyWriter.Dispose();
        _documentWriter.Dispose();
    }

    private bool AddRecord(ReadOnlySpan<byte> line, long nowUnixNanos)
    {
        _document.Clear();
        _documentWriter.Reset(_document);
        long nanos;
        try
        {
            if (!TryWriteDocument(line, nowUnixNanos, out nanos))
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        var writer = _bodyWriter;
        writer.Reset(_body);
        writer.WriteStartObject();
        writer.WriteStartObject(_operation);
        writer.WritePropertyName("_index"u8);
        writer.WriteStringValue(IndexFor(nanos));
        if (_config.GenerateId)
        {
            // Deterministic: the same record re-sent after a crash or retry gets the same _id, and "create"
            // answers 409 instead of indexing a duplicate.
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(line, hash);
            Span<byte> hex = stackalloc byte[IdHashBytes * 2];
            for (var i = 0; i < IdHashBytes; i++)
            {
                hex[2 * i] = (byte)"0123456789abcdef"[hash[i] >> 4];
                hex[2 * i + 1] = (byte)"0123456789abcdef"[hash[i] & 0xF];
            }
            writer.WritePropertyName("_id"u8);
            writer.WriteStringValue(hex);
        }
        else if (_config.IdKey is { } idKey)
        {
            WriteIdFromKey(writer, line, idKey);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        _body.Write("\n"u8);
        _body.Write(_document.WrittenSpan);
        _body.Write("\n"u8);
        return true;
    }

    private bool TryWriteDocument(ReadOnlySpan<byte> line, long nowUnixNanos, out long nanos)
    {
        nanos = nowUnixNanos;
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var writer = _documentWriter;
        writer.WriteStartObject();
        var hasTimeKey = false;
        var nextIsTime = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    if (reader.CurrentDepth == 1)
                    {
                        nextIsTime = reader.ValueTextEquals("time"u8);
                        hasTimeKey |= reader.ValueTextEquals(_timeKey);
                    }
                    WritePropertyName(writer, ref reader);
                    continue;
                case JsonTokenType.String:
                    if (nextIsTime && TryParseTime(ref reader, out var parsed))
                    {
                        nanos = parsed;
                    }
                    writer.WriteRawValue(line[(int)reader.TokenStartIndex..(int)reader.BytesConsumed], skipInputValidation: true);
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                case JsonTokenType.False:
                    writer.WriteBooleanValue(reader.TokenType == JsonTokenType.True);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNullValue();
                    break;
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    break;
                case JsonTokenType.EndObject:
                    if (reader.CurrentDepth == 0 && !hasTimeKey)
                    {
                        WriteTimeKey(writer, nanos);
                    }
                    writer.WriteEndObject();
                    break;
            }
            nextIsTime = false;
        }
        writer.Flush();
        return true;
    }

    private static bool TryParseTime(ref Utf8JsonReader reader, out long nanos)
    {
        if (!reader.ValueIsEscaped)
        {
            return RecordTime.TryParseUnixNanos(reader.ValueSpan, out nanos);
        }
        nanos = 0;
        // Writers with the default encoder escape '+' in offsets (\u002B).
        Span<byte> unescaped = stackalloc byte[64];
        return reader.ValueSpan.Length <= unescaped.Length &&
            RecordTime.TryParseUnixNanos(unescaped[..reader.CopyString(unescaped)], out nanos);
    }

    private void WritePropertyName(Utf8JsonWriter writer, ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            var name = reader.GetString()!;
            writer.WritePropertyName(_config.ReplaceDots ? name.Replace('.', '_') : name);
            return;
        }
        var raw = reader.ValueSpan;
        if (!_config.ReplaceDots || !raw.Contains((byte)'.'))
        {
            writer.WritePropertyName(raw);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(raw.Length);
        raw.CopyTo(buffer);
        var replaced = buffer.AsSpan(0, raw.Length);
        replaced.Replace((byte)'.', (byte)'_');
        writer.WritePropertyName(replaced);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private void WriteTimeKey(Utf8JsonWriter writer, long nanos)
    {
        Span<char> text = stackalloc char[128];
        var length = _config.TimeKeyFormat.Format(nanos, text);
        if (!_config.TimeKeyFormat.HasFractionOrZone)
        {
            // Fluent Bit appends the fraction and Z after time_key_format: milliseconds, or nanoseconds with time_key_nanos.
            var fraction = (nanos % RecordTime.NanosPerSecond + RecordTime.NanosPerSecond) % RecordTime.NanosPerSecond;
            text[length++] = '.';
            var digits = _config.TimeKeyNanos ? 9 : 3;
            var value = _config.TimeKeyNanos ? fraction : fraction / 1_000_000;
            for (var i = digits - 1; i >= 0; i--)
            {
                text[length + i] = (char)('0' + value % 10);
                value /= 10;
            }
            length += digits;
            text[length++] = 'Z';
        }
        writer.WritePropertyName(_timeKey);
        writer.WriteStringValue(text[..length]);
    }

    private ReadOnlySpan<byte> IndexFor(long nanos)
    {
        if (!_config.LogstashFormat)
        {
            return _index;
        }
        Span<char> name = stackalloc char[_indexChars.Length];
        var length = 0;
        _config.LogstashPrefix.CopyTo(name);
        length += _config.LogstashPrefix.Length;
        name[length++] = '-';
        length += _config.LogstashDateFormat.Format(nanos, name[length..]);
        // Consecutive records almost always share a day: re-encode only when the name changes.
        if (length != _indexLength || !name[..length].SequenceEqual(_indexChars.AsSpan(0, length)))
        {
            name[..length].CopyTo(_indexChars);
            _indexLength = length;
            _index = Encoding.UTF8.GetBytes(_indexChars, 0, length);
        }
        return _index;
    }

    private static void WriteIdFromKey(Utf8JsonWriter writer, ReadOnlySpan<byte> line, RecordAccessor idKey)
    {
        using var document = JsonDocument.Parse(line.ToArray());
        if (!idKey.TryGet(document.RootElement, out var value))
        {
            return;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                writer.WritePropertyName("_id"u8);
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
                break;
            case JsonValueKind.Number:
                writer.WritePropertyName("_id"u8);
                writer.WriteStringValue(Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(value)));
                break;
        }
    }
}
