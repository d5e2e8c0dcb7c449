using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| json</c> without parameters (Loki's <c>JSONParser</c>): every string, number and boolean field of the line's
/// object becomes a label; nested objects flatten with <c>_</c> (<c>{"a":{"b":1}}</c> → <c>a_b="1"</c>); arrays and
/// nulls are skipped; keys are sanitized; a name the stream already has gets <c>_extracted</c>; a key seen twice keeps
/// the first value. A line that is not a JSON object sets <c>__error__="JSONParserErr"</c>, keeping what was read before
/// the fault.
/// </summary>
internal sealed class JsonParser : Stage
{
    private const string MalformedObject = "Value looks like object, but can't find closing '}' symbol";

    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    private readonly KeyInterner _keys = new();
    private readonly List<char> _name = [];
    private byte[] _unescaped = new byte[256];

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        if (labels.Hints.NoLabels)
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
