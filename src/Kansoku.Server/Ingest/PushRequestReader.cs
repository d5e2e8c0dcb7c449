using System.Text;
using Kansoku.Core.Labels;
using Kansoku.Core.Protobuf;
using Kansoku.Storage.Logs;

namespace Kansoku.Server.Ingest;

/// <summary>
/// Reads Loki's <c>logproto.PushRequest</c> (Kansoku.Api.Contracts/Loki/push.proto) from its wire format, each line a
/// slice of the message rather than a copy. Google.Protobuf cannot give slices: it decodes every line into a UTF-16
/// string, which was most of the ~6 bytes the server allocated per byte ingested, so a reader of this one message is
/// worth its size. It knows PushRequest, StreamAdapter, EntryAdapter and Timestamp over <see cref="ProtobufReader"/>, which
/// steps over every other field of every wire type as Google.Protobuf does (so structuredMetadata, hash and whatever
/// newer clients add are skipped). It accepts what Google.Protobuf's parser of push.proto accepts; anything else is a
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

    private readonly ReadOnlyMemory<byte> _memory;
    private ProtobufReader _wire;

    // Where reading is, for error messages.
    private int _stream = -1;
    private int _entry = -1;

    private PushRequestReader(ReadOnlyMemory<byte> message)
    {
        _memory = message;
        _wire = new ProtobufReader(message.Span);
    }

    /// <summary>The streams of a serialized PushRequest; their lines are slices of <paramref name="message"/>.</summary>
    public static List<LogStreamBatch> Read(ReadOnlyMemory<byte> message, LabelSetCache labels)
    {
        var reader = new PushRequestReader(message);
        var streams = new List<LogStreamBatch>();
        try
        {
            while (reader._wire.TryReadTag(out var tag))
            {
                if (tag == StreamsTag)
                {
                    reader._stream++;
                    reader._entry = -1;
                    streams.Add(reader.ReadStream(labels));
                }
                else
                {
                    reader._wire.SkipField(tag);
                }
            }
        }
        catch (ProtobufFormatException e)
        {
            throw reader.Malformed(e.Message);
        }
        return streams;
    }

    private LogStreamBatch ReadStream(LabelSetCache cache)
    {
        var outerEnd = _wire.EnterMessage("stream");
        var start = _wire.Position;
        // First the labels (the last occurrence wins, as in Google.Protobuf) and the number of entries, to size the batch once.
        var labels = (Start: start, Length: 0);
        var entries = 0;
        while (_wire.TryReadTag(out var tag))
        {
            switch (tag)
            {
                case LabelsTag:
                    labels = _wire.ReadString("labels");
                    break;
                case EntriesTag:
                    _wire.SkipLengthDelimited("entries");
                    entries++;
                    break;
                default:
                    _wire.SkipField(tag);
                    break;
            }
        }
        var batch = new LogStreamBatch(LabelsOf(_wire.Slice(labels), cache));
        batch.Entries.Capacity = entries;
        _wire.Rewind(start);
        while (_wire.TryReadTag(out var tag))
        {
            if (tag == EntriesTag)
            {
                _entry++;
                batch.Entries.Add(ReadEntry());
            }
            else
            {
                _wire.SkipField(tag);
            }
        }
        _wire.LeaveMessage(outerEnd);
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
        var outerEnd = _wire.EnterMessage("entry");
        long seconds = 0;
        var nanos = 0;
        var line = (Start: _wire.Position, Length: 0);
        while (_wire.TryReadTag(out var tag))
        {
            switch (tag)
            {
                case TimestampTag:
                    ReadTimestamp(ref seconds, ref nanos);
                    break;
                case LineTag:
                    line = _wire.ReadString("line");
                    break;
                default:
                    _wire.SkipField(tag);
                    break;
            }
        }
        _wire.LeaveMessage(outerEnd);
        return new LogEntry(UnixNanos(seconds, nanos), _memory.Slice(line.Start, line.Length));
    }

    /// <summary>A repeated timestamp field merges into the one before, field by field, as Google.Protobuf merges it.</summary>
    private void ReadTimestamp(ref long seconds, ref int nanos)
    {
        var outerEnd = _wire.EnterMessage("timestamp");
        while (_wire.TryReadTag(out var tag))
        {
            switch (tag)
            {
                case SecondsTag:
                    seconds = _wire.ReadInt64("timestamp seconds");
                    break;
                case NanosTag:
                    nanos = unchecked((int)_wire.ReadVarint("timestamp nanos"));
                    break;
                default:
                    _wire.SkipField(tag);
                    break;
            }
        }
        _wire.LeaveMessage(outerEnd);
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

    private readonly FormatException Malformed(string problem)
    {
        var where = _stream < 0 ? "" : _entry < 0 ? $"streams[{_stream}]: " : $"streams[{_stream}].entries[{_entry}]: ";
        return new FormatException($"the push body is not a valid logproto.PushRequest: {where}{problem}");
    }
}
