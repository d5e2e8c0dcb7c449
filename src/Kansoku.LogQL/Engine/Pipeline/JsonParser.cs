using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| json</c> without parameters (Loki's <c>JSONParser</c>): every string, number and boolean field of the line's
/// object becomes a label; nested objects flatten with <c>_</c> (<c>{"a":{"b":1}}</c> → <c>a_b="1"</c>); arrays and
/// nulls are skipped; keys are sanitized; a name the stream already has gets <c>_extracted</c>; a key seen twice keeps
/// the first value. A line that is not a JSON object sets <c>__error__="JSONParserErr"</c>, keeping what was read before
/// the fault. When the store hands the line over already split into its leaves (<see cref="JsonLeaves"/>: the log
/// store keeps JSON lines column-wise), the values are taken from there instead of parsing the line: the same labels,
/// in the same order, computed once per field for the names.
/// </summary>
internal sealed class JsonParser : Stage
{
    private const string MalformedObject = "Value looks like object, but can't find closing '}' symbol";

    /// <summary>Field tables (one per block of each stream read) whose label names are kept.</summary>
    private const int MaxCachedTables = 256;

    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    private readonly KeyInterner _keys = new();
    private readonly List<char> _name = [];
    private byte[] _unescaped = new byte[256];
    private readonly Dictionary<JsonFieldTable, FieldName[]> _namesByTable = new(ReferenceEqualityComparer.Instance);
    private JsonFieldTable? _table;
    private FieldName[] _fieldNames = [];

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        if (labels.Hints.NoLabels)
        {
            return true;
        }
        if (labels.Source is { } source && source.TryGetJsonLeaves(out var leaves) && IsLine(leaves.Line, line) && TrySetLeaves(leaves, labels))
        {
            return true;
        }
        _name.Clear();
        // Plain text and stack traces fail here, without the exception the reader would throw for them.
        var start = line.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0 || line[start] != (byte)'{')
        {
            labels.SetError(LokiLabels.JsonParserError, MalformedObject);
            return true;
        }
        var reader = new Utf8JsonReader(line, s_options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                labels.SetError(LokiLabels.JsonParserError, MalformedObject);
                return true;
            }
            ParseObject(ref reader, labels);
        }
        catch (JsonException)
        {
            labels.SetError(LokiLabels.JsonParserError, MalformedObject);
        }
        catch (InvalidOperationException)
        {
            labels.SetError(LokiLabels.JsonParserError, MalformedObject);
        }
        return true;
    }

    /// <summary>Reads the members of the object the reader is on; false when every wanted label was found (stop).</summary>
    private bool ParseObject(ref Utf8JsonReader reader, LabelsBuilder labels)
    {
        var hints = labels.Hints;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Loki flattens the raw key bytes, escapes included; blank keys add nothing to the name.
            var prefixLength = _name.Count;
            if (!LabelKeys.IsEmptyAfterTrim(reader.ValueSpan))
            {
                if (prefixLength > 0)
                {
                    _name.Add('_');
                }
                LabelKeys.AppendSanitized(_name, reader.ValueSpan, isFirst: prefixLength == 0);
            }
            reader.Read();
            var keepGoing = reader.TokenType switch
            {
                JsonTokenType.StartObject => ParseNested(ref reader, labels),
                JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False =>
                    SetValue(ref reader, labels),
                _ => Skip(ref reader),
            };
            _name.RemoveRange(prefixLength, _name.Count - prefixLength);
            if (!keepGoing || hints.AllRequiredExtracted)
            {
                return false;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException();
        }
        return true;
    }

    private bool ParseNested(ref Utf8JsonReader reader, LabelsBuilder labels)
    {
        if (!labels.Hints.ShouldExtractPrefix(CollectionsMarshal.AsSpan(_name)))
        {
            reader.Skip();
            return true;
        }
        return ParseObject(ref reader, labels);
    }

    private static bool Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return true;
    }

    private bool SetValue(ref Utf8JsonReader reader, LabelsBuilder labels)
    {
        if (_name.Count == 0)
        {
            return true;
        }
        var key = _keys.Get(CollectionsMarshal.AsSpan(_name));
        if (labels.BaseHas(key))
        {
            key += LokiLabels.ExtractedSuffix;
        }
        var hints = labels.Hints;
        if (!hints.ShouldExtract(key) || hints.Extracted(key))
        {
            return true;
        }
        labels.Set(key, reader.TokenType switch
        {
            JsonTokenType.String => ReadString(ref reader),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => Encoding.UTF8.GetString(reader.ValueSpan),
        });
        return true;
    }

    /// <summary>Whether the stage still has the reader's own line (no earlier stage replaced it).</summary>
    private static bool IsLine(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> line) =>
        stored.Length == line.Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(stored), ref MemoryMarshal.GetReference(line));

    /// <summary>
    /// The labels of a line given as leaves; false, having set nothing, when a leaf is an object nested too deep for the
    /// store to split (its flattened names need the parser).
    /// </summary>
    private bool TrySetLeaves(JsonLeaves leaves, LabelsBuilder labels)
    {
        for (var i = 0; i < leaves.Count; i++)
        {
            if (leaves.Value(i)[0] == (byte)'{')
            {
                return false;
            }
        }
        if (!ReferenceEquals(_table, leaves.Table))
        {
            // Entries of several streams interleave, each with its block's table: keep the names of the recent ones.
            _table = leaves.Table;
            if (!_namesByTable.TryGetValue(_table, out var names))
            {
                if (_namesByTable.Count >= MaxCachedTables)
                {
                    _namesByTable.Clear();
                }
                names = new FieldName[_table.Count];
                _namesByTable.Add(_table, names);
            }
            _fieldNames = names;
        }
        var hints = labels.Hints;
        for (var i = 0; i < leaves.Count; i++)
        {
            var value = leaves.Value(i);
            // Nulls and arrays give no label, as when parsing.
            if (value[0] is (byte)'n' or (byte)'[')
            {
                continue;
            }
            var field = leaves.Field(i);
            ref var name = ref _fieldNames[field];
            if (name.Plain is null)
            {
                name = new FieldName(NameOf(_table!.Path(field)));
            }
            if (name.Plain.Length == 0)
            {
                continue;
            }
            var key = labels.BaseHas(name.Plain) ? name.Extracted : name.Plain;
            if (!hints.ShouldExtract(key) || hints.Extracted(key))
            {
                continue;
            }
            labels.Set(key, value[0] switch
            {
                (byte)'"' => ReadString(value),
                (byte)'t' => "true",
                (byte)'f' => "false",
                _ => Encoding.UTF8.GetString(value),
            });
            if (hints.AllRequiredExtracted)
            {
                break;
            }
        }
        return true;
    }

    /// <summary>The label name of a field path (keys joined by 0x00), flattened and sanitized as <see cref="ParseObject"/> does.</summary>
    private string NameOf(ReadOnlySpan<byte> path)
    {
        _name.Clear();
        foreach (var range in path.Split(JsonFieldTable.PathSeparator))
        {
            var key = path[range];
            if (LabelKeys.IsEmptyAfterTrim(key))
            {
                continue;
            }
            var isFirst = _name.Count == 0;
            if (!isFirst)
            {
                _name.Add('_');
            }
            LabelKeys.AppendSanitized(_name, key, isFirst);
        }
        return _name.Count == 0 ? "" : _keys.Get(CollectionsMarshal.AsSpan(_name));
    }

    /// <summary>A JSON string token (quotes included), unescaped.</summary>
    private string ReadString(ReadOnlySpan<byte> token)
    {
        var content = token[1..^1];
        if (content.IndexOf((byte)'\\') < 0)
        {
            return LabelValues.FromUtf8(content);
        }
        var reader = new Utf8JsonReader(token);
        reader.Read();
        return ReadString(ref reader);
    }

    /// <summary>A field's label name, and the name it takes when the stream already has a label of that name.</summary>
    private readonly record struct FieldName(string Plain)
    {
        public string Extracted { get; } = Plain.Length == 0 ? "" : Plain + LokiLabels.ExtractedSuffix;
    }

    private string ReadString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return LabelValues.FromUtf8(reader.ValueSpan);
        }
        if (_unescaped.Length < reader.ValueSpan.Length)
        {
            _unescaped = new byte[Math.Max(reader.ValueSpan.Length, _unescaped.Length * 2)];
        }
        var length = reader.CopyString(_unescaped);
        return LabelValues.FromUtf8(_unescaped.AsSpan(0, length));
    }
}
