using System.Buffers.Binary;
using System.IO.Hashing;
using Kansoku.Core.Labels;
using Kansoku.Tsdb.Encoding;
using Kansoku.Tsdb.Head;

namespace Kansoku.Tsdb.Wal;

/// <summary>
/// Encoding of WAL records: a 9-byte frame (type, payload length u32 LE, CRC-32 of the payload u32 LE) and the
/// payloads of series, samples and chunk records.
/// </summary>
internal static class WalRecords
{
    public const int FrameBytes = 9;

    /// <summary>Starts a record; write the payload, then call <see cref="End"/> with the returned offset.</summary>
    public static int Begin(ByteWriter writer, WalRecordType type)
    {
        var start = writer.Length;
        writer.WriteByte((byte)type);
        writer.WriteUInt32(0);
        writer.WriteUInt32(0);
        return start;
    }

    public static void End(ByteWriter writer, int start)
    {
        var payloadLength = writer.Length - start - FrameBytes;
        writer.PatchUInt32(start + 1, (uint)payloadLength);
        writer.PatchUInt32(start + 5, Crc32.HashToUInt32(writer.Slice(start + FrameBytes, payloadLength)));
    }

    public static void WriteSeries(ByteWriter writer, List<MemSeries> series)
    {
        var start = Begin(writer, WalRecordType.Series);
        writer.WriteUVarint((ulong)series.Count);
        foreach (var one in series)
        {
            writer.WriteUVarint(one.Ref);
            writer.WriteUVarint((ulong)one.Labels.Count);
            foreach (var label in one.Labels.AsSpan())
            {
                writer.WriteString(label.Name);
                writer.WriteString(label.Value);
            }
        }
        End(writer, start);
    }

    /// <summary>
    /// Samples with refs as deltas from the previous sample's and timestamps from the first's. Each ref delta (zig-zag) is shifted left by
    /// one bit that says how the value follows: 1, an integer as a varint (counters: 1-4 bytes); 0, the 8 raw bytes.
    /// </summary>
    public static void WriteSamples(ByteWriter writer, ReadOnlySpan<PendingSample> samples)
    {
        var start = Begin(writer, WalRecordType.Samples);
        writer.WriteUVarint((ulong)samples.Length);
        var baseRef = samples[0].Series.Ref;
        var baseTime = samples[0].TimestampMs;
        writer.WriteUVarint(baseRef);
        writer.WriteVarint(baseTime);
        var previousRef = baseRef;
        foreach (var sample in samples)
        {
            var integral = Chunks.XorBuckets.IsExactInteger(sample.Value);
            writer.WriteUVarint((ZigZag((long)(sample.Series.Ref - previousRef)) << 1) | (integral ? 1UL : 0));
            previousRef = sample.Series.Ref;
            writer.WriteVarint(sample.TimestampMs - baseTime);
            if (integral)
            {
                writer.WriteVarint((long)sample.Value);
            }
            else
            {
                writer.WriteDouble(sample.Value);
            }
        }
        End(writer, start);
    }

    public static void WriteChunk(ByteWriter writer, ulong seriesRef, ClosedChunk chunk)
    {
        var start = Begin(writer, WalRecordType.Chunks);
        writer.WriteUVarint(seriesRef);
        writer.WriteVarint(chunk.MinTime);
        writer.WriteVarint(chunk.MaxTime);
        writer.WriteUVarint((ulong)chunk.Bytes.Length);
        writer.WriteBytes(chunk.Bytes);
        End(writer, start);
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    public static bool IsKnown(byte type) => type is >= (byte)WalRecordType.Series and <= (byte)WalRecordType.Chunks;

    public static (WalRecordType Type, int Length, uint Crc) ReadFrame(ReadOnlySpan<byte> frame) =>
        ((WalRecordType)frame[0], (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(frame[1..]), int.MaxValue),
            BinaryPrimitives.ReadUInt32LittleEndian(frame[5..]));

    /// <summary>Applies a record's payload to the head.</summary>
    public static void Apply(WalRecordType type, ReadOnlySpan<byte> payload, HeadBlock head, long minValidTime, List<PendingSample> scratch)
    {
        var reader = new ByteReader(payload);
        switch (type)
        {
            case WalRecordType.Series:
                var seriesCount = reader.ReadLength();
                var labels = new List<Label>();
                for (var i = 0; i < seriesCount; i++)
                {
                    var reference = reader.ReadUVarint();
                    var labelCount = reader.ReadLength();
                    labels.Clear();
                    for (var j = 0; j < labelCount; j++)
                    {
                        labels.Add(new Label(reader.ReadString(), reader.ReadString()));
                    }
                    head.Restore(reference, LabelSet.From(labels)).WalLogged = true;
                }
                break;
            case WalRecordType.Samples:
                var sampleCount = reader.ReadLength();
                var baseRef = reader.ReadUVarint();
                var baseTime = reader.ReadVarint();
                scratch.Clear();
                var sampleRef = baseRef;
                for (var i = 0; i < sampleCount; i++)
                {
                    var tagged = reader.ReadUVarint();
                    sampleRef += (ulong)UnZigZag(tagged >> 1);
                    var timestamp = baseTime + reader.ReadVarint();
                    var value = (tagged & 1) != 0 ? reader.ReadVarint() : reader.ReadDouble();
                    if (timestamp >= minValidTime && head.TryGetByRef(sampleRef, out var series))
                    {
                        scratch.Add(new PendingSample(series, timestamp, value));
                    }
                }
                head.Replay(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scratch));
                break;
            case WalRecordType.Chunks:
                var chunkRef = reader.ReadUVarint();
                var minTime = reader.ReadVarint();
                var maxTime = reader.ReadVarint();
                var bytes = reader.ReadBytes(reader.ReadLength()).ToArray();
                if (maxTime >= minValidTime && head.TryGetByRef(chunkRef, out var owner))
                {
                    head.RestoreChunk(owner, new ClosedChunk(minTime, maxTime, bytes));
                }
                break;
        }
    }
}
