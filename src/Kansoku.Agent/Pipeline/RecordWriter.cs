using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Kansoku.Agent.Kubernetes;

namespace Kansoku.Agent.Pipeline;

/// <summary>
/// Writes records as NDJSON in Fluent Bit's Kubernetes record shape, the form users' Elasticsearch mappings and queries
/// rely on: <c>{"time":…,"stream":…,"log":…,&lt;parsed fields&gt;,"level":…,"kubernetes":{namespace_name, pod_name, pod_id,
/// container_name, docker_id, host, container_image, labels, annotations}}</c>.
/// Parsed fields kept as raw JSON are spliced in without building a tree. One writer per pipeline thread.
/// </summary>
internal sealed class RecordWriter : IDisposable
{
    private readonly ConditionalWeakTable<KubernetesMetadata, byte[]> _kubernetesJson = [];
    private KubernetesMetadata? _lastMetadata;
    private byte[] _lastMetadataJson = [];
    private long _cachedSecond = long.MinValue;
    private readonly byte[] _cachedSecondText = new byte[19];
    private readonly ByteBuffer _scratch = new(4096);

    // Japanese and other non-ASCII text stays readable in the output; only what JSON requires is escaped.
    private static readonly JsonWriterOptions s_relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Write(ByteBuffer buffer, LogRecord record)
    {
        var hasFields = record.HasFields;
        var reserved = hasFields ? record.ReservedInFields : ReservedFields.None;
        // The first member is written without a comma; with every writer-owned key taken by fields, that is a field.
        var start = buffer.Length;
        buffer.WriteByte((byte)'{');
        if ((reserved & ReservedFields.Time) == 0)
        {
            buffer.Write("\"time\":\""u8);
            WriteTimestamp(buffer, record.TimeUnixNano);
            buffer.WriteByte((byte)'"');
        }
        if ((reserved & ReservedFields.Stream) == 0 && record.Stream != LogStream.Unknown)
        {
            Comma(buffer, start);
            buffer.Write(record.Stream == LogStream.Stdout ? "\"stream\":\"stdout\""u8 : "\"stream\":\"stderr\""u8);
        }
        if ((reserved & ReservedFields.Log) == 0 && (!hasFields || record.KeepLog || !record.ParsedFromContent))
        {
            Comma(buffer, start);
            buffer.Write("\"log\":\""u8);
            JsonStringEscaper.Write(buffer, record.Content.Span);
            buffer.WriteByte((byte)'"');
        }
        if (hasFields)
        {
            WriteFieldMembers(buffer, record, start);
        }
        if (record.Severity != Severity.Unknown && !record.LevelInFields && (reserved & ReservedFields.Level) == 0)
        {
            Comma(buffer, start);
            buffer.Write("\"level\":\""u8);
            buffer.Write(Parsers.SeverityDetector.ToLevelWord(record.Severity));
            buffer.WriteByte((byte)'"');
        }
        if (record.Kubernetes is { } metadata && (reserved & ReservedFields.Kubernetes) == 0)
        {
            Comma(buffer, start);
            buffer.Write("\"kubernetes\":"u8);
            buffer.Write(KubernetesJson(metadata));
        }
        buffer.Write("}\n"u8);
    }

    private static void Comma(ByteBuffer buffer, int recordStart)
    {
        if (buffer.Length > recordStart + 1)
        {
            buffer.WriteByte((byte)',');
        }
    }

    private void WriteFieldMembers(ByteBuffer buffer, LogRecord record, int recordStart)
    {
        ReadOnlySpan<byte> json;
        if (record.TryGetRawFields(out var raw))
        {
            json = raw.Span;
        }
        else
        {
            _scratch.Clear();
            using (var writer = new Utf8JsonWriter(_scratch, s_relaxed))
            {
                record.Fields.WriteTo(writer);
            }
            json = _scratch.WrittenSpan;
        }
        // A JSON object is '{' members '}' with optional white space around; splice the members.
        var open = json.IndexOf((byte)'{');
        var close = json.LastIndexOf((byte)'}');
        if (open < 0 || close <= open)
        {
            return;
        }
        var members = json[(open + 1)..close].Trim(" \t\r\n"u8);
        if (members.IsEmpty)
        {
            return;
        }
        Comma(buffer, recordStart);
        buffer.Write(members);
    }

    private ReadOnlySpan<byte> KubernetesJson(KubernetesMetadata metadata)
    {
        if (ReferenceEquals(metadata, _lastMetadata))
        {
            return _lastMetadataJson;
        }
        var json = _kubernetesJson.GetValue(metadata, SerializeKubernetes);
        _lastMetadata = metadata;
        _lastMetadataJson = json;
        return json;
    }

    private static byte[] SerializeKubernetes(KubernetesMetadata metadata)
    {
        using var buffer = new ByteBuffer(1024);
        using (var writer = new Utf8JsonWriter(buffer, s_relaxed))
        {
            writer.WriteStartObject();
            writer.WriteString("pod_name"u8, metadata.PodName);
            writer.WriteString("namespace_name"u8, metadata.NamespaceName);
            if (metadata.PodId.Length > 0)
            {
                writer.WriteString("pod_id"u8, metadata.PodId);
            }
            WriteMap(writer, "labels"u8, metadata.Labels);
            WriteMap(writer, "annotations"u8, metadata.Annotations);
            if (metadata.Host.Length > 0)
            {
                writer.WriteString("host"u8, metadata.Host);
            }
            writer.WriteString("container_name"u8, metadata.ContainerName);
            if (metadata.DockerId.Length > 0)
            {
                writer.WriteString("docker_id"u8, metadata.DockerId);
            }
            if (metadata.ContainerImage.Length > 0)
            {
                writer.WriteString("container_image"u8, metadata.ContainerImage);
            }
            if (metadata.OwnerKind.Length > 0)
            {
                writer.WriteString("owner_kind"u8, metadata.OwnerKind);
                writer.WriteString("owner_name"u8, metadata.OwnerName);
            }
            WriteMap(writer, "namespace_labels"u8, metadata.NamespaceLabels);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMap(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyDictionary<string, string> map)
    {
        if (map.Count == 0)
        {
            return;
        }
        writer.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    }

    /// <summary>RFC 3339 with nine fraction digits, UTC: <c>2026-11-25T08:00:00.123456789Z</c>.</summary>
    private void WriteTimestamp(ByteBuffer buffer, long unixNanos)
    {
        var second = Math.DivRem(unixNanos, 1_000_000_000L, out var fraction);
        if (fraction < 0)
        {
            second--;
            fraction += 1_000_000_000L;
        }
        if (second != _cachedSecond)
        {
            var time = DateTime.UnixEpoch.AddSeconds(second);
            _ = time.TryFormat(_cachedSecondText, out _, "yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            _cachedSecond = second;
        }
        buffer.Write(_cachedSecondText);
        var span = buffer.GetSpan(11);
        span[0] = (byte)'.';
        _ = Utf8Formatter.TryFormat(fraction, span[1..10], out _, new System.Buffers.StandardFormat('D', 9));
        span[10] = (byte)'Z';
        buffer.Advance(11);
    }

    public void Dispose() => _scratch.Dispose();
}
