using System.Text.Json;
using System.Text.Unicode;
using Kansoku.Agent.Parsers.Fields;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Json;

/// <summary>
/// Fluent Bit's json format: content that is one JSON object becomes the record's fields.
/// </summary>
/// <remarks>
/// One pass of <see cref="Utf8JsonReader"/> validates the object and finds the time and level fields. When the fields
/// are the content unchanged (Time_Keep On, level already normalised) they are the content's own bytes, no copy.
/// Otherwise the object is copied once into a right-sized array with two byte-range edits at most: the time
/// property cut out (Time_Keep Off) and the <c>level</c> value replaced by its normalised word. The rest of the
/// object, escapes and spacing included, is kept exactly as written. A time that does not parse stays in the fields
/// and leaves the record's time alone.
/// </remarks>
internal sealed class JsonContentParser : IContentParser
{
    // Longer time or level strings are not times or levels; they are left as fields.
    private const int MaxScalarLength = 128;

    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 512 };

    private readonly ParserOptions _options;

    public JsonContentParser(ParserOptions options)
    {
        _options = options;
    }

    public string Name => _options.Name;

    public bool TryParse(LogRecord record)
    {
        var content = record.Content.Span;
        var start = content.IndexOfAnyExcept(" \t\r\n"u8);
        var end = content.LastIndexOfAnyExcept(" \t\r\n"u8);
        // A cheap shape check first: text that is not JSON would cost an exception inside Utf8JsonReader.
        // Utf8JsonReader does not check that strings are valid UTF-8, and the fields are spliced into output as they
        // are, so invalid bytes leave the line unparsed.
        if (start < 0 || content[start] != '{' || content[end] != '}' || !Utf8.IsValid(content))
        {
            return false;
        }
        try
        {
            return TryParseObject(record, start, end + 1 - start);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool TryParseObject(LogRecord record, int objectStart, int objectLength)
    {
        var json = record.Content.Span.Slice(objectStart, objectLength);
        // scoped: the reader and the stack scratch must share a lifetime to be passed together.
        scoped var reader = new Utf8JsonReader(json, s_readerOptions);
        reader.Read();
        Span<byte> scratch = stackalloc byte[MaxScalarLength];

        var previousValueEnd = 1;
        var first = true;
        Edit cut = default, level = default;
        var extendCutToNextName = false;
        var hasTime = false;
        long time = 0;
        var severity = Severity.Unknown;
        var levelInFields = false;
        var reserved = ReservedFields.None;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            if (extendCutToNextName)
            {
                cut = cut with { End = nameStart };
                extendCutToNextName = false;
            }
            var reservedName = reader.ValueIsEscaped ? ReservedFields.None : ReservedFieldNames.Of(reader.ValueSpan);
            var isTime = !hasTime && IsTimeKey(ref reader);
            var isLevelLike = !isTime && !reader.ValueIsEscaped && ParserOptions.IsLevelKey(reader.ValueSpan);
            var isLevel = isLevelLike && reader.ValueSpan.SequenceEqual("level"u8);

            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            var isString = reader.TokenType == JsonTokenType.String;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
            var valueEnd = (int)reader.BytesConsumed;

            if (isTime && TryGetScalar(ref reader, scratch, out var timeText) && _options.Time.TryParse(timeText, out time))
            {
                hasTime = true;
                if (!_options.TimeKeep)
                {
                    reservedName = ReservedFields.None;
                    // Cut the property with the comma before it; the first property goes with the gap up to the next.
                    cut = first ? new Edit(nameStart, valueEnd) : new Edit(previousValueEnd, valueEnd);
                    extendCutToNextName = first;
                }
            }
            else if (isLevelLike && TryGetScalar(ref reader, scratch, out var levelText)
                && SeverityDetector.FromValue(levelText) is var found and not Severity.Unknown)
            {
                if (severity == Severity.Unknown || isLevel)
                {
                    severity = found;
                }
                if (isLevel)
                {
                    levelInFields = true;
                    if (!isString || reader.ValueIsEscaped || !levelText.SequenceEqual(SeverityDetector.ToLevelWord(found)))
                    {
                        level = new Edit(valueStart, valueEnd);
                    }
                }
            }
            reserved |= reservedName;
            previousValueEnd = valueEnd;
            first = false;
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return false;
        }

        var objectMemory = record.Content.Slice(objectStart, objectLength);
        record.SetRawFields(cut.IsEmpty && level.IsEmpty ? objectMemory : Splice(json, cut, level, severity));
        record.RawFieldsReserved = reserved;
        if (hasTime)
        {
            record.TimeUnixNano = time;
        }
        if (severity != Severity.Unknown)
        {
            record.Severity = severity;
        }
        record.LevelInFields = levelInFields;
        return true;
    }

    private bool IsTimeKey(ref Utf8JsonReader reader)
    {
        foreach (var key in _options.TimeKeys)
        {
            if (reader.ValueTextEquals(key))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The text of a string (unescaped) or the digits of a number; false for other tokens and long strings.</summary>
    private static bool TryGetScalar(ref Utf8JsonReader reader, Span<byte> scratch, out ReadOnlySpan<byte> text)
    {
        text = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                text = reader.ValueSpan;
                return true;
            case JsonTokenType.String when reader.ValueSpan.Length <= scratch.Length:
                text = reader.ValueIsEscaped ? scratch[..reader.CopyString(scratch)] : reader.ValueSpan;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Copies <paramref name="json"/> into one right-sized array, cutting <paramref name="cut"/> and
    /// replacing <paramref name="level"/> with the quoted level word.</summary>
    private static byte[] Splice(ReadOnlySpan<byte> json, Edit cut, Edit level, Severity severity)
    {
        var word = SeverityDetector.ToLevelWord(severity);
        var replacementLength = level.IsEmpty ? 0 : word.Length + 2;
        var result = new byte[json.Length - cut.Length - level.Length + replacementLength];
        var (firstEdit, secondEdit) = cut.Start <= level.Start || level.IsEmpty ? (cut, level) : (level, cut);
        var read = 0;
        var written = 0;
        foreach (var edit in (ReadOnlySpan<Edit>)[firstEdit, secondEdit])
        {
            if (edit.IsEmpty)
            {
                continue;
            }
            json[read..edit.Start].CopyTo(result.AsSpan(written));
            written += edit.Start - read;
            read = edit.End;
            if (edit == level)
            {
                result[written++] = (byte)'"';
                word.CopyTo(result.AsSpan(written));
                written += word.Length;
                result[written++] = (byte)'"';
            }
        }
        json[read..].CopyTo(result.AsSpan(written));
        return result;
    }

    private readonly record struct Edit(int Start, int End)
    {
        public int Length => End - Start;
        public bool IsEmpty => End == Start;
    }
}
