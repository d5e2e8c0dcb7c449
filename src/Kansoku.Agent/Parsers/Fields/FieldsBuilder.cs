using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Fields;

/// <summary>
/// Writes the fields a regex or logfmt parser found as one JSON object, applying the parser's Time_Key, Time_Keep,
/// Types and level rules on the way, and hands the record one right-sized array. One instance per thread, reused.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "One per thread for the thread's life; the writer holds no unmanaged resource, only a managed buffer.")]
internal sealed class FieldsBuilder
{
    // Buffers that grew past this for one huge record are dropped instead of being kept for the thread's life.
    private const int RetainedCapacity = 1 << 20;

    [ThreadStatic]
    private static FieldsBuilder? s_current;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        // Keeps non-ASCII text (Japanese messages…) readable instead of \u-escaping every character.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private ArrayBufferWriter<byte> _buffer = new(1024);
    private Utf8JsonWriter _writer;
    private byte[] _transcoded = new byte[256];
    private byte[] _unescaped = new byte[256];
    private ParserOptions _options = null!;
    private Severity _severity;
    private bool _levelInFields;
    private bool _hasTime;
    private ReservedFields _reserved;
    private long _time;

    private FieldsBuilder()
    {
        _writer = new Utf8JsonWriter(_buffer, s_writerOptions);
    }

    /// <summary>This thread's builder, emptied and set up for <paramref name="options"/>.</summary>
    public static FieldsBuilder Start(ParserOptions options)
    {
        var builder = s_current ??= new FieldsBuilder();
        builder.Reset(options);
        return builder;
    }

    /// <summary>A scratch span of at least <paramref name="length"/> bytes, valid until the next call.</summary>
    public Span<byte> UnescapeBuffer(int length)
    {
        if (_unescaped.Length < length)
        {
            _unescaped = new byte[Math.Max(length, _unescaped.Length * 2)];
        }
        return _unescaped;
    }

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<char> value)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_transcoded.Length < needed)
        {
            _transcoded = new byte[Math.Max(needed, _transcoded.Length * 2)];
        }
        var length = Encoding.UTF8.GetBytes(value, _transcoded);
        Add(key, _transcoded.AsSpan(0, length));
    }

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (!_hasTime && _options.IsTimeKey(key) && _options.Time.TryParse(value, out _time))
        {
            _hasTime = true;
            if (!_options.TimeKeep)
            {
                return;
            }
        }
        _reserved |= ReservedFieldNames.Of(key);
        if (ParserOptions.IsLevelKey(key) && SeverityDetector.FromValue(value) is var severity and not Severity.Unknown)
        {
            // The first level-like key sets the severity, but a "level" key always wins: its value is rewritten to the
            // normalised word and must agree with the record's severity.
            var isLevel = key.SequenceEqual("level"u8);
            if (_severity == Severity.Unknown || isLevel)
            {
                _severity = severity;
            }
            if (isLevel)
            {
                _writer.WriteString(key, SeverityDetector.ToLevelWord(severity));
                _levelInFields = true;
                return;
            }
        }
        var type = _options.Types.IsEmpty ? FieldType.String : _options.Types.Lookup(key);
        switch (type)
        {
            case FieldType.Integer when Utf8Parser.TryParse(value, out long integer, out var used) && used == value.Length:
                _writer.WriteNumber(key, integer);
                break;
            case FieldType.Float when Utf8Parser.TryParse(value, out double number, out var used) && used == value.Length
                && double.IsFinite(number):
                _writer.WriteNumber(key, number);
                break;
            case FieldType.Hex when Utf8Parser.TryParse(value, out ulong hex, out var used, 'x') && used == value.Length:
                _writer.WriteNumber(key, hex);
                break;
            case FieldType.Bool:
                _writer.WriteBoolean(key, Ascii.EqualsIgnoreCase(value, "true"u8));
                break;
            default:
                _writer.WriteString(key, value);
                break;
        }
    }

    /// <summary>A key without a value (logfmt's bare key), written as <c>true</c>.</summary>
    public void AddFlag(ReadOnlySpan<byte> key)
    {
        _reserved |= ReservedFieldNames.Of(key);
        _writer.WriteBoolean(key, true);
    }

    /// <summary>Stores the fields, time and severity on <paramref name="record"/>.</summary>
    public void Complete(LogRecord record)
    {
        _writer.WriteEndObject();
        _writer.Flush();
        record.SetRawFields(_buffer.WrittenSpan.ToArray());
        record.RawFieldsReserved = _reserved;
        if (_hasTime)
        {
            record.TimeUnixNano = _time;
        }
        if (_severity != Severity.Unknown)
        {
            record.Severity = _severity;
        }
        record.LevelInFields = _levelInFields;
    }

    private void Reset(ParserOptions options)
    {
        if (_buffer.Capacity > RetainedCapacity)
        {
            _buffer = new ArrayBufferWriter<byte>(1024);
            _writer = new Utf8JsonWriter(_buffer, s_writerOptions);
        }
        else
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
        }
        _options = options;
        _severity = Severity.Unknown;
        _levelInFields = false;
        _hasTime = false;
        _reserved = ReservedFields.None;
        _time = 0;
        _writer.WriteStartObject();
    }
}
