using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kansoku.Agent.Kubernetes;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Filters;

/// <summary>
/// A field reference in Fluent Bit's record-accessor forms: <c>$key</c>, <c>$kubernetes['labels']['app']</c>,
/// <c>$key[0]</c>, the dotted <c>$.kubernetes.namespace_name</c>, and a plain <c>key</c> (one top-level key, taken
/// literally).
/// </summary>
/// <remarks>
/// A record keeps some of what Fluent Bit has as keys outside its fields, and they are read here as if they were
/// keys: <c>log</c> (the line), <c>stream</c>, <c>time</c> (RFC 3339, nanoseconds), <c>level</c> (the normalised
/// severity) and <c>kubernetes.*</c> (namespace_name, pod_name, pod_id, container_name, docker_id, host,
/// container_image, labels.K, annotations.K, namespace_labels.K). <c>kubernetes</c> comes from the record's metadata
/// first; the other virtual keys only when the parsed fields lack them.
/// Reads do not materialise <see cref="LogRecord.Fields"/>: raw fields are scanned with a <see cref="Utf8JsonReader"/>,
/// and <c>log</c> is decoded straight from the line's bytes into the caller's buffer.
/// </remarks>
internal sealed class RecordAccessor
{
    private static readonly string[] s_severityNames = ["", "debug", "info", "warn", "error", "fatal"];

    private readonly Segment[] _segments;
    private readonly byte[][] _utf8Keys;

    private RecordAccessor(string pattern, Segment[] segments)
    {
        Pattern = pattern;
        _segments = segments;
        _utf8Keys = [.. segments.Select(s => Encoding.UTF8.GetBytes(s.Key))];
    }

    public string Pattern { get; }

    /// <summary>The top-level key, which is the whole reference for a plain key.</summary>
    public string TopKey => _segments[0].Key;

    public bool IsTopLevel => _segments.Length == 1;

    /// <summary>Parses a reference; throws <see cref="FormatException"/> with the reason when it is malformed.</summary>
    public static RecordAccessor Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var text = pattern.Trim();
        if (text.Length == 0)
        {
            throw new FormatException("empty key");
        }
        if (text[0] != '$')
        {
            return new RecordAccessor(text, [new Segment(text, -1)]);
        }
        var segments = new List<Segment>();
        var i = 1;
        if (i < text.Length && text[i] == '.')
        {
            i++;
        }
        while (i < text.Length)
        {
            if (text[i] == '[')
            {
                segments.Add(ParseBracket(text, ref i));
            }
            else
            {
                if (text[i] == '.')
                {
                    if (segments.Count == 0)
                    {
                        throw new FormatException($"'{text}': unexpected '.'");
                    }
                    i++;
                }
                var start = i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }
                if (i == start)
                {
                    throw new FormatException($"'{text}': empty key at position {start}");
                }
                segments.Add(new Segment(text[start..i], -1));
            }
        }
        if (segments.Count == 0 || segments[0].Index >= 0)
        {
            throw new FormatException($"'{text}': needs a key after '$'");
        }
        return new RecordAccessor(text, [.. segments]);
    }

    /// <summary>
    /// Reads the value as text: strings unescaped, numbers and booleans as written, objects and arrays as JSON.
    /// False when absent or null. <paramref name="value"/> points into <paramref name="buffer"/> (grown as needed) or
    /// into a string the record already holds.
    /// </summary>
    public bool TryRead(LogRecord record, ref char[] buffer, out ReadOnlySpan<char> value)
    {
        ArgumentNullException.ThrowIfNull(record);
        var top = _segments[0].Key;
        if (record.Kubernetes is { } kubernetes && top == "kubernetes")
        {
            var text = ReadKubernetes(kubernetes);
            value = text;
            return text is not null;
        }
        if (record.TryGetRawFields(out var raw))
        {
            if (TryReadRaw(raw.Span, ref buffer, out value))
            {
                return true;
            }
        }
        else if (record.HasFields && Navigate(record.Fields) is { } node)
        {
            var text = NodeText(node);
            value = text;
            return text is not null;
        }
        return TryReadVirtual(record, ref buffer, out value);
    }

    /// <summary>Whether the key is present (and not null).</summary>
    public bool Exists(LogRecord record)
    {
        char[] scratch = [];
        return TryRead(record, ref scratch, out _);
    }

    /// <summary>The value as a JSON node to copy elsewhere (a string for virtual keys); null when absent.</summary>
    public JsonNode? GetNode(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!(record.Kubernetes is not null && _segments[0].Key == "kubernetes") && record.HasFields && Navigate(record.Fields) is { } node)
        {
            return node.DeepClone();
        }
        char[] scratch = [];
        return TryRead(record, ref scratch, out var text) ? JsonValue.Create(text.ToString()) : null;
    }

    /// <summary>Removes the key from the fields; removing <c>log</c> stops the line being written beside the fields.</summary>
    public bool Remove(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var removed = false;
        if (record.HasFields)
        {
            var parent = _segments.Length == 1 ? record.Fields : Navigate(record.Fields, _segments.Length - 1) as JsonObject;
            removed = parent is not null && parent.Remove(_segments[^1].Key);
        }
        if (IsTopLevel && TopKey == "log")
        {
            record.KeepLog = false;
            return true;
        }
        return removed;
    }

    /// <summary>Sets the key in the fields, creating objects on the way.</summary>
    public void Set(LogRecord record, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(record);
        JsonObject current = record.Fields;
        for (var i = 0; i < _segments.Length - 1; i++)
        {
            var key = _segments[i].Key;
            if (current[key] is not JsonObject next)
            {
                next = new JsonObject();
                current[key] = next;
            }
            current = next;
        }
        current[_segments[^1].Key] = value;
    }

    public override string ToString() => Pattern;

    private JsonNode? Navigate(JsonNode root, int count = -1)
    {
        var node = root;
        var end = count < 0 ? _segments.Length : count;
        for (var i = 0; i < end && node is not null; i++)
        {
            var segment = _segments[i];
            node = segment.Index >= 0
                ? node is JsonArray array && segment.Index < array.Count ? array[segment.Index] : null
                : node is JsonObject obj ? obj[segment.Key] : null;
        }
        return node;
    }

    private static string? NodeText(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.Null => null,
        _ => node.ToJsonString(),
    };

    private bool TryReadRaw(ReadOnlySpan<byte> json, ref char[] buffer, out ReadOnlySpan<char> value)
    {
        value = default;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            for (var depth = 0; depth < _segments.Length; depth++)
            {
                if (!Descend(ref reader, depth))
                {
                    return false;
                }
            }
            return ReadValue(ref reader, json, ref buffer, out value);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>With the reader on an object or array start, moves it onto the value of segment <paramref name="depth"/>.</summary>
    private bool Descend(ref Utf8JsonReader reader, int depth)
    {
        var segment = _segments[depth];
        if (segment.Index >= 0)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }
            for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
            {
                if (i == segment.Index)
                {
                    return true;
                }
                reader.Skip();
            }
            return false;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var key = _utf8Keys[depth];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(key);
            reader.Read();
            if (match)
            {
                return true;
            }
            reader.Skip();
        }
        return false;
    }

    private static bool ReadValue(scoped ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> json, ref char[] buffer, out ReadOnlySpan<char> value)
    {
        value = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                // Reading from one span, the value is never a sequence; unescaping only shortens it.
                Grow(ref buffer, reader.ValueSpan.Length);
                value = buffer.AsSpan(0, reader.CopyString(buffer));
                return true;
            case JsonTokenType.Number:
            case JsonTokenType.True:
            case JsonTokenType.False:
                value = Decode(reader.ValueSpan, ref buffer);
                return true;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                value = Decode(json[start..(int)reader.BytesConsumed], ref buffer);
                return true;
            default:
                return false;
        }
    }

    private bool TryReadVirtual(LogRecord record, ref char[] buffer, out ReadOnlySpan<char> value)
    {
        value = default;
        if (!IsTopLevel)
        {
            return false;
        }
        switch (TopKey)
        {
            case "log":
                value = Decode(record.Content.Span, ref buffer);
                return true;
            case "stream" when record.Stream != LogStream.Unknown:
                value = record.Stream == LogStream.Stdout ? "stdout" : "stderr";
                return true;
            case "level" when record.Severity != Severity.Unknown && (int)record.Severity < s_severityNames.Length:
                value = s_severityNames[(int)record.Severity];
                return true;
            case "time":
                value = FormatTime(record.TimeUnixNano, ref buffer);
                return true;
            default:
                return false;
        }
    }

    private string? ReadKubernetes(KubernetesMetadata metadata)
    {
        if (_segments.Length < 2)
        {
            return null;
        }
        var field = _segments[1].Key;
        return field switch
        {
            "namespace_name" when _segments.Length == 2 => metadata.NamespaceName,
            "pod_name" when _segments.Length == 2 => metadata.PodName,
            "pod_id" when _segments.Length == 2 => NullIfEmpty(metadata.PodId),
            "container_name" when _segments.Length == 2 => metadata.ContainerName,
            "docker_id" when _segments.Length == 2 => NullIfEmpty(metadata.DockerId),
            "host" when _segments.Length == 2 => NullIfEmpty(metadata.Host),
            "container_image" when _segments.Length == 2 => NullIfEmpty(metadata.ContainerImage),
            "labels" => MapValue(metadata.Labels),
            "annotations" => MapValue(metadata.Annotations),
            "namespace_labels" => MapValue(metadata.NamespaceLabels),
            _ => null,
        };
    }

    /// <summary>
    /// A label or annotation: <c>['labels']['app.kubernetes.io/name']</c>, or in the dotted form the rest of the path
    /// joined with dots, since label keys hold dots themselves.
    /// </summary>
    private string? MapValue(IReadOnlyDictionary<string, string> map)
    {
        if (_segments.Length < 3)
        {
            return null;
        }
        var key = _segments.Length == 3 ? _segments[2].Key : string.Join('.', _segments.Skip(2).Select(s => s.Key));
        return map.TryGetValue(key, out var value) ? value : null;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static ReadOnlySpan<char> Decode(scoped ReadOnlySpan<byte> utf8, ref char[] buffer)
    {
        Grow(ref buffer, Encoding.UTF8.GetMaxCharCount(utf8.Length));
        return buffer.AsSpan(0, Encoding.UTF8.GetChars(utf8, buffer));
    }

    private static ReadOnlySpan<char> FormatTime(long unixNano, ref char[] buffer)
    {
        Grow(ref buffer, 40);
        var seconds = Math.DivRem(unixNano, 1_000_000_000L, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000L;
        }
        var time = DateTime.UnixEpoch.AddSeconds(seconds);
        time.TryFormat(buffer, out var written, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        buffer[written++] = '.';
        nanos.TryFormat(buffer.AsSpan(written), out var digits, "D9", CultureInfo.InvariantCulture);
        written += digits;
        buffer[written++] = 'Z';
        return buffer.AsSpan(0, written);
    }

    private static void Grow(ref char[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new char[Math.Max(length, Math.Max(256, buffer.Length * 2))];
        }
    }

    private static Segment ParseBracket(string text, ref int i)
    {
        var open = i++;
        if (i < text.Length && text[i] is '\'' or '"')
        {
            var quote = text[i++];
            var close = text.IndexOf(quote, i);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ']')
            {
                throw new FormatException($"'{text}': unterminated [{quote} at position {open}");
            }
            var key = text[i..close];
            i = close + 2;
            return new Segment(key, -1);
        }
        var end = text.IndexOf(']', i);
        if (end < 0 || !int.TryParse(text.AsSpan(i, end - i), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new FormatException($"'{text}': expected ['key'] or [index] at position {open}");
        }
        i = end + 1;
        return new Segment(index.ToString(CultureInfo.InvariantCulture), index);
    }

    /// <summary>An object key, or an array index (Index ≥ 0).</summary>
    private readonly record struct Segment(string Key, int Index);
}
