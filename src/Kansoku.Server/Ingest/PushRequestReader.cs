using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;

namespace Kansoku.Server.Ingest;

/// <summary>
/// Reads Loki's <c>logproto.PushRequest</c> (Kansoku.Api.Contracts/Loki/push.proto) from its wire format, each line a
/// slice of the message rather than a copy. Google.Protobuf cannot give slices: it decodes every line into a UTF-16
/// string, which was most of the ~6 bytes the server allocated per byte ingested, so a reader of this one message is
/// worth its size. It is no protobuf library: it knows PushRequest, StreamAdapter, EntryAdapter and Timestamp, and steps
/// over every other field of every wire type as Google.Protobuf does (so structuredMetadata, hash and whatever newer
/// clients add are skipped). It accepts what Google.Protobuf's parser of push.proto accepts: strings must be UTF-8,
/// an embedded message or group nested more than 100 deep is refused, and so on; anything else is a
/// <see cref="FormatException"/> that says what is wrong and where.
/// </summary>
internal ref struct PushRequestReader
{
    // Tags are field number << 3 | wire type, where 0 is a varint and 2 is length-delimited. A known field number with
    // another wire type is an unknown field, as in Google.Protobuf's generated code.
    private const uint StreamsTag = (1 << 3) | 2;
    private const uint LabelsTag = (1 << 3) | 2;
    private const uint EntriesTag = (2 << 3) | 2;
    private const uint TimestampTag = (1 << 3) | 2;
    private const uint LineTag = (2 << 3) | 2;
    private const uint SecondsTag = 1 << 3;
    private const uint NanosTag = 2 << 3;

    /// <summary>What errors in fields this reader skips call them; a constant, so skipping builds no strings.</summary>
    private const string UnknownField = "an unknown field";

    /// <summary>Google.Protobuf's default recursion limit, which counts embedded messages and groups alike.</summary>
    private const int MaxDepth = 100;

    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _message;
    private int _position;

    /// <summary>The end of the (embedded) message being read.</summary>
    private int _end;

    private int _depth;

    // Where reading is, for error messages.
    private int _stream = -1;
    private int _entry = -1;

    private PushRequestReader(ReadOnlyMemory<byte> message)
    {
        _memory = message;
        _message = message.Span;
        _end = message.Length;
    }

    /// <summary>The streams of a serialized PushRequest; their lines are slices of <paramref name="message"/>.</summary>
    public static List<LogStreamBatch> Read(ReadOnlyMemory<byte> message, LabelSetCache labels)
    {
        var reader = new PushRequestReader(message);
        var streams = new List<LogStreamBatch>();
        while (reader.TryReadTag(out var tag))
        {
            if (tag == StreamsTag)
            {
                reader._stream++;
                reader._entry = -1;
                streams.Add(reader.ReadStream(labels));
            }
            else
            {
                reader.SkipField(tag);
            }
        }
        return streams;
    }

    private LogStreamBatch ReadStream(LabelSetCache cache)
    {
        var outerEnd = EnterMessage("stream");
        var start = _position;
        // First the labels (the last occurrence wins, as in Google.Protobuf) and the number of entries, to size the batch once.
        var labels = (Start: start, Length: 0);
        var entries = 0;
        while (TryReadTag(out var tag))
        {
            switch (tag)
            {
                case LabelsTag:
                    labels = ReadString("labels");
                    break;
                case EntriesTag:
                    SkipLengthDelimited("entries");
                    entries++;
                    break;
                default:
                    SkipField(tag);
                    break;
            }
        }
        var batch = new LogStreamBatch(LabelsOf(_message.Slice(labels.Start, labels.Length), cache));
        batch.Entries.Capacity = entries;
        _position = start;
        while (TryReadTag(out var tag))
        {
            if (tag == EntriesTag)
            {
                _entry++;
                batch.Entries.Add(ReadEntry());
            }
            else
            {
                SkipField(tag);
            }
        }
        LeaveMessage(outerEnd);
        return batch;
    }

    private readonly LabelSet LabelsOf(ReadOnlySpan<byte> text, LabelSetCache cache)
    {
        if (!cache.TryGet(text, out var labels))
        {
            labels = LabelSetParser.Parse(Encoding.UTF8.GetString(text));
            LokiPushDecoder.Validate(labels, _stream);
            cache.Add(text, labels);
        }
        return labels;
    }

    private LogEntry ReadEntry()
    {
        var outerEnd = EnterMessage("entry");
        long seconds = 0;
        var nanos = 0;
        var line = (Start: _position, Length: 0);
        while (TryReadTag(out var tag))
        {
            switch (tag)
            {
                case TimestampTag:
                    ReadTimestamp(ref seconds, ref nanos);
                    break;
                case LineTag:
                    line = ReadString("line");
                    break;
                default:
                    SkipField(tag);
                    break;
            }
        }
        LeaveMessage(outerEnd);
        return new LogEntry(UnixNanos(seconds, nanos), _memory.Slice(line.Start, line.Length));
    }

    /// <summary>A repeated timestamp field merges into the one before, field by field, as Google.Protobuf merges it.</summary>
    private void ReadTimestamp(ref long seconds, ref int nanos)
    {
        var outerEnd = EnterMessage("timestamp");
        while (TryReadTag(out var tag))
        {
            switch (tag)
            {
                case SecondsTag:
                    seconds = unchecked((long)ReadVarint("timestamp seconds"));
                    break;
                case NanosTag:
                    nanos = unchecked((int)ReadVarint("timestamp nanos"));
                    break;
                default:
                    SkipField(tag);
                    break;
            }
        }
        LeaveMessage(outerEnd);
    }

    private readonly long UnixNanos(long seconds, int nanos)
    {
        var total = ((Int128)seconds * 1_000_000_000) + nanos;
        if (total < long.MinValue || total > long.MaxValue)
        {
            throw Malformed($"the timestamp {seconds} s {nanos} ns is outside what Unix nanoseconds hold (the years 1677 to 2262)");
        }
        return (long)total;
    }

    /// <summary>Narrows reading to the embedded message that starts here; returns the outer end for <see cref="LeaveMessage"/>.</summary>
    private int EnterMessage(string field)
    {
        var length = ReadLength(field);
        if (_depth >= MaxDepth)
        {
            throw Malformed($"{field}: messages and groups nested more than {MaxDepth} deep");
        }
        _depth++;
        var outerEnd = _end;
        _end = _position + length;
        return outerEnd;
    }

    private void LeaveMessage(int outerEnd)
    {
        _depth--;
        _position = _end;
        _end = outerEnd;
    }

    private bool TryReadTag(out uint tag)
    {
        if (_position >= _end)
        {
            tag = 0;
            return false;
        }
        // A tag is a 32-bit varint; Google.Protobuf drops the bits of a longer one, and so does this.
        tag = unchecked((uint)ReadVarint("a field tag"));
        if (tag >> 3 == 0)
        {
            throw Malformed("a field numbered 0");
        }
        return true;
    }

    private (int Start, int Length) ReadString(string field)
    {
        var length = ReadLength(field);
        var start = _position;
        _position += length;
        if (!Utf8.IsValid(_message.Slice(start, length)))
        {
            throw Malformed($"{field} is not valid UTF-8");
        }
        return (start, length);
    }

    /// <summary>The length of a length-delimited field, checked against what is left of the message.</summary>
    private int ReadLength(string field)
    {
        // Google.Protobuf reads a length as a 32-bit value and refuses a negative one.
        var length = unchecked((int)ReadVarint(field));
        if (length < 0)
        {
            throw Malformed($"{field}: a negative length");
        }
        if (length > _end - _position)
        {
            throw Malformed($"{field}: {length} bytes long but only {_end - _position} are left (truncated?)");
        }
        return length;
    }

    private void SkipLengthDelimited(string field)
    {
        var length = ReadLength(field);
        _position += length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadVarint(string field)
    {
        if (_position < _end && _message[_position] < 0x80)
        {
            return _message[_position++];
        }
        return ReadLongVarint(field);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadLongVarint(string field)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _end)
            {
                throw Malformed($"{field}: the varint is cut off (truncated?)");
            }
            var next = _message[_position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }
        throw Malformed($"{field}: a varint longer than 10 bytes");
    }

    /// <summary>Steps over a field this reader does not know, of any wire type.</summary>
    private void SkipField(uint tag)
    {
        switch (tag & 7)
        {
            case 0:
                ReadVarint(UnknownField);
                break;
            case 1:
                SkipFixed(8);
                break;
            case 2:
                SkipLengthDelimited(UnknownField);
                break;
            case 3:
                SkipGroup(tag >> 3);
                break;
            case 4:
                throw Malformed($"an end-group tag (field {tag >> 3}) outside any group");
            case 5:
                SkipFixed(4);
                break;
            default:
                throw Malformed($"field {tag >> 3} has the wire type {tag & 7}, which does not exist");
        }
    }

    private void SkipFixed(int bytes)
    {
        if (bytes > _end - _position)
        {
            throw Malformed($"{UnknownField}: {bytes} bytes but only {_end - _position} are left (truncated?)");
        }
        _position += bytes;
    }

    private void SkipGroup(uint field)
    {
        if (_depth >= MaxDepth)
        {
            throw Malformed($"group {field}: messages and groups nested more than {MaxDepth} deep");
        }
        _depth++;
        while (true)
        {
            if (!TryReadTag(out var tag))
            {
                throw Malformed($"group {field} has no end-group tag (truncated?)");
            }
            if ((tag & 7) == 4)
            {
                if (tag >> 3 != field)
                {
                    throw Malformed($"group {field} is closed by the end-group tag of field {tag >> 3}");
                }
                break;
            }
            SkipField(tag);
        }
        _depth--;
    }

    private readonly FormatException Malformed(string problem)
    {
        var where = _stream < 0 ? "" : _entry < 0 ? $"streams[{_stream}]: " : $"streams[{_stream}].entries[{_entry}]: ";
        return new FormatException($"the push body is not a valid logproto.PushRequest: {where}{problem}");
    }
}
