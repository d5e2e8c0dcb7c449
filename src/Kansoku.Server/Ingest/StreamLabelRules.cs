using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Kansoku.Core.Labels;

namespace Kansoku.Server.Ingest;

/// <summary>
/// Which fields of a JSON log record become stream labels. By default the names Kansoku uses everywhere (LogQL,
/// <c>kansoku logs -l</c>, the UI, the Loki API): <c>namespace</c>, <c>pod</c>, <c>container</c>, <c>app</c> (the pod's
/// <c>app</c> label, else <c>app.kubernetes.io/name</c>), <c>node</c>, <c>stream</c>, taken from Fluent Bit's Kubernetes
/// record shape. Everything else stays in the line as structured fields, so streams stay few. Safe to share between threads.
/// </summary>
internal sealed class StreamLabelRules
{
    /// <summary>Room for a typical record's label values; a larger key grows.</summary>
    private const int InitialKeyBytes = 512;

    /// <summary>label name -> paths in the record, each a list of UTF-8 property names; several paths are tried in order.</summary>
    private readonly List<(string Label, byte[][][] Paths)> _rules;

    /// <summary>Label sets by the label values they were built from (see <see cref="LabelsOf"/>).</summary>
    private readonly LabelSetCache _recent = new();

    public StreamLabelRules(IEnumerable<(string Label, string[] DottedPaths)> rules)
    {
        _rules = [];
        foreach (var (label, paths) in rules)
        {
            var split = new byte[paths.Length][][];
            for (var i = 0; i < paths.Length; i++)
            {
                split[i] = SplitPath(paths[i]);
            }
            _rules.Add((label, split));
        }
    }

    public static StreamLabelRules Default { get; } = new(
    [
        ("namespace", ["kubernetes.namespace_name"]),
        ("pod", ["kubernetes.pod_name"]),
        ("container", ["kubernetes.container_name"]),
        // The agent's es output replaces dots in label keys (app.kubernetes.io/name -> app_kubernetes_io/name); accept both.
        ("app", ["kubernetes.labels.app", "kubernetes.labels.app\\.kubernetes\\.io/name", "kubernetes.labels.app_kubernetes_io/name"]),
        ("node", ["kubernetes.host"]),
        ("stream", ["stream"]),
    ]);

    /// <summary>
    /// The labels of one record, plus <paramref name="extra"/> (such as the _bulk index prefix; an empty value adds
    /// nothing). Throws <see cref="FormatException"/> when a label value is not valid UTF-8.
    /// </summary>
    public LabelSet LabelsOf(JsonElement record, Label extra)
    {
        // Records of one stream carry the same label values, so their bytes are the cache key: a record of a stream seen
        // recently builds no strings. The key is each rule's value (empty when absent) and then the extra label's name
        // and value, each behind its length.
        var key = new LabelKey(InitialKeyBytes);
        try
        {
            foreach (var (_, paths) in _rules)
            {
                if (TryFindValue(record, paths, out var value))
                {
                    key.Append(value);
                }
                else
                {
                    key.Append(ReadOnlySpan<byte>.Empty);
                }
            }
            key.Append(extra.Name);
            key.Append(extra.Value);
            if (!_recent.TryGet(key.Written, out var labels))
            {
                labels = Build(key.Written, extra);
                _recent.Add(key.Written, labels);
            }
            return labels;
        }
        finally
        {
            key.Dispose();
        }
    }

    /// <summary>The label set a key describes, checked to be text.</summary>
    private LabelSet Build(ReadOnlySpan<byte> key, Label extra)
    {
        var labels = new List<Label>(_rules.Count + 1);
        foreach (var (label, _) in _rules)
        {
            var value = LabelKey.Next(ref key);
            if (!Utf8.IsValid(value))
            {
                throw new FormatException($"the value of the {label} label is not valid UTF-8");
            }
            if (value.Length > 0)
            {
                labels.Add(new Label(label, Encoding.UTF8.GetString(value)));
            }
        }
        labels.Add(extra);
        return LabelSet.From(labels);
    }

    /// <summary>The first path that leads to a non-empty string, a number or a boolean.</summary>
    private static bool TryFindValue(JsonElement record, byte[][][] paths, out JsonElement value)
    {
        foreach (var path in paths)
        {
            if (TryGetPath(record, path, out value)
                && value.ValueKind switch
                {
                    JsonValueKind.String => JsonStrings.Raw(value).Length > 0,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
                    _ => false,
                })
            {
                return true;
            }
        }
        value = default;
        return false;
    }

    private static bool TryGetPath(JsonElement element, byte[][] path, out JsonElement value)
    {
        value = element;
        foreach (var segment in path)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Splits <c>a.b\.c</c> into <c>a</c>, <c>b.c</c>: a backslash keeps a dot inside a key.</summary>
    private static byte[][] SplitPath(string dotted)
    {
        var parts = new List<byte[]>();
        var current = new StringBuilder();
        for (var i = 0; i < dotted.Length; i++)
        {
            if (dotted[i] == '\\' && i + 1 < dotted.Length)
            {
                current.Append(dotted[++i]);
            }
            else if (dotted[i] == '.')
            {
                parts.Add(Encoding.UTF8.GetBytes(current.ToString()));
                current.Clear();
            }
            else
            {
                current.Append(dotted[i]);
            }
        }
        parts.Add(Encoding.UTF8.GetBytes(current.ToString()));
        return [.. parts];
    }

    /// <summary>Length-prefixed values in a buffer rented from the shared pool.</summary>
    private ref struct LabelKey
    {
        private byte[] _bytes;
        private int _length;

        public LabelKey(int capacity)
        {
            _bytes = ArrayPool<byte>.Shared.Rent(capacity);
        }

        public readonly ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

        /// <summary>A string element's UTF-8, unescaped; a number's or boolean's text.</summary>
        public void Append(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                Append(JsonMarshal.GetRawUtf8Value(value));
                return;
            }
            var raw = JsonStrings.Raw(value);
            if (!JsonStrings.IsEscaped(raw))
            {
                Append(raw);
                return;
            }
            var destination = Reserve(raw.Length);
            Commit(JsonStrings.Unescape(value, destination));
        }

        public void Append(string text)
        {
            var destination = Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
            Commit(Encoding.UTF8.GetBytes(text, destination));
        }

        public void Append(ReadOnlySpan<byte> value)
        {
            value.CopyTo(Reserve(value.Length));
            Commit(value.Length);
        }

        /// <summary>The value at the start of <paramref name="key"/>, which moves past it.</summary>
        public static ReadOnlySpan<byte> Next(ref ReadOnlySpan<byte> key)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(key);
            var value = key.Slice(sizeof(int), length);
            key = key[(sizeof(int) + length)..];
            return value;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = [];
        }

        /// <summary>Room for a value of up to <paramref name="maxLength"/> bytes after its length.</summary>
        private Span<byte> Reserve(int maxLength)
        {
            var needed = _length + sizeof(int) + maxLength;
            if (needed > _bytes.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _bytes.Length * 2));
                Written.CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = larger;
            }
            return _bytes.AsSpan(_length + sizeof(int), maxLength);
        }

        private void Commit(int length)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(_length), length);
            _length += sizeof(int) + length;
        }
    }
}
