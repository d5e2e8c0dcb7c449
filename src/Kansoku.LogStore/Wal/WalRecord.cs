using System.Buffers.Binary;
using System.IO.Hashing;
using Kansoku.LogStore.Binary;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Wal;

/// <summary>
/// One WAL record: <c>u32 payload length | u32 CRC-32 of the payload | payload</c>, the payload being
/// <c>u8 type (1 = entries) | varint streams | per stream: labels, varint entries, per entry: zigzag varint
/// timestamp delta (from the previous entry of the stream, the first from 0), varint line length, line bytes</c>.
/// </summary>
internal static class WalRecord
{
    public const int HeaderBytes = 8;
    public const byte EntriesType = 1;
    public const int MaxPayloadBytes = 1 << 30;

    /// <summary>
    /// Appends one record with the entries whose timestamps are in [<paramref name="minTimestamp"/>,
    /// <paramref name="maxTimestamp"/>] and returns how many that is (0: nothing written).
    /// </summary>
    public static int Encode(ByteBuffer buffer, IReadOnlyList<LogStreamBatch> streams, long minTimestamp, long maxTimestamp)
    {
        var start = buffer.Length;
        buffer.Reserve(HeaderBytes);
        buffer.WriteByte(EntriesType);
        var streamCount = 0;
        for (var s = 0; s < streams.Count; s++)
        {
            if (CountAccepted(streams[s].Entries, minTimestamp, maxTimestamp) > 0)
            {
                streamCount++;
            }
        }
        buffer.WriteVarint((ulong)streamCount);
        var total = 0;
        for (var s = 0; s < streams.Count; s++)
        {
            var entries = streams[s].Entries;
            var accepted = CountAccepted(entries, minTimestamp, maxTimestamp);
            if (accepted == 0)
            {
                continue;
            }
            LabelCodec.Write(buffer, streams[s].Labels);
            buffer.WriteVarint((ulong)accepted);
            var previous = 0L;
            foreach (var entry in entries)
            {
                if (entry.TimestampUnixNano < minTimestamp || entry.TimestampUnixNano > maxTimestamp)
                {
                    continue;
                }
                buffer.WriteZigZag(entry.TimestampUnixNano - previous);
                previous = entry.TimestampUnixNano;
                buffer.WriteVarint((ulong)entry.Line.Length);
                buffer.Write(entry.Line.Span);
            }
            total += accepted;
        }
        if (total == 0)
        {
            buffer.Truncate(start);
            return 0;
        }
        var payloadLength = buffer.Length - start - HeaderBytes;
        if (payloadLength > MaxPayloadBytes)
        {
            throw new ArgumentException($"an append of {payloadLength} bytes exceeds the WAL record limit of {MaxPayloadBytes}");
        }
        var header = buffer.Array.AsSpan(start, HeaderBytes);
        var payload = buffer.Array.AsSpan(start + HeaderBytes, payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(payload));
        return total;
    }

    /// <summary>The streams of a payload whose CRC was checked. Lines point into <paramref name="payload"/>.</summary>
    public static List<LogStreamBatch> Decode(ReadOnlyMemory<byte> payload)
    {
        var reader = new ByteReader(payload.Span);
        if (reader.ReadByte() != EntriesType)
        {
            throw new InvalidDataException("unknown WAL record type");
        }
        var streamCount = reader.ReadLength(reader.Remaining);
        var result = new List<LogStreamBatch>(streamCount);
        for (var s = 0; s < streamCount; s++)
        {
            var batch = new LogStreamBatch(LabelCodec.Read(ref reader));
            var count = reader.ReadLength(reader.Remaining);
            var timestamp = 0L;
            for (var i = 0; i < count; i++)
            {
                timestamp += reader.ReadZigZag();
                var length = reader.ReadLength(reader.Remaining);
                var offset = reader.Position;
                reader.ReadBytes(length);
                batch.Entries.Add(new LogEntry(timestamp, payload.Slice(offset, length)));
            }
            result.Add(batch);
        }
        return result;
    }

    private static int CountAccepted(List<LogEntry> entries, long minTimestamp, long maxTimestamp)
    {
        var count = 0;
        foreach (var entry in entries)
        {
            if (entry.TimestampUnixNano >= minTimestamp && entry.TimestampUnixNano <= maxTimestamp)
            {
                count++;
            }
        }
        return count;
    }
}
