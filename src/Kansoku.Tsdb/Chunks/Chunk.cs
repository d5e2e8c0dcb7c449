using System.Buffers;
using System.Buffers.Binary;

namespace Kansoku.Tsdb.Chunks;

/// <summary>What every chunk encoding shares: its header and the choice of encoding when a chunk is closed.</summary>
internal static class Chunk
{
    public static ChunkEncoding EncodingOf(ReadOnlySpan<byte> chunk) => chunk[0] switch
    {
        (byte)ChunkEncoding.LegacyXor => ChunkEncoding.LegacyXor,
        (byte)ChunkEncoding.Xor => ChunkEncoding.Xor,
        (byte)ChunkEncoding.Packed => ChunkEncoding.Packed,
        var other => throw new InvalidDataException($"unknown chunk encoding {other}"),
    };

    public static int SampleCount(ReadOnlySpan<byte> chunk) => EncodingOf(chunk) switch
    {
        ChunkEncoding.LegacyXor => BinaryPrimitives.ReadUInt16BigEndian(chunk),
        ChunkEncoding.Xor => BinaryPrimitives.ReadUInt16BigEndian(chunk[1..]),
        _ => PackedChunk.SampleCount(chunk),
    };

    /// <summary>
    /// The closed form of an appender's chunk: packed when every value is a short decimal and that is smaller (it is
    /// for counters and gauges alike), else the XOR bytes as they are.
    /// </summary>
    public static byte[] Seal(in XorAppender appender)
    {
        var count = appender.Count;
        var timestamps = ArrayPool<long>.Shared.Rent(count);
        var values = ArrayPool<double>.Shared.Rent(count);
        try
        {
            var decoder = new XorDecoder(appender.Buffer, 0, appender.ByteLength);
            for (var i = 0; decoder.Next(); i++)
            {
                timestamps[i] = decoder.Timestamp;
                values[i] = decoder.Value;
            }
            var packed = PackedChunk.TryEncode(timestamps.AsSpan(0, count), values.AsSpan(0, count), appender.ByteLength);
            return packed ?? appender.ToArray();
        }
        finally
        {
            ArrayPool<long>.Shared.Return(timestamps);
            ArrayPool<double>.Shared.Return(values);
        }
    }
}

/// <summary>Decodes a chunk of any encoding, one sample at a time.</summary>
internal struct ChunkDecoder
{
    private readonly bool _packed;
    private XorDecoder _xor;
    private PackedDecoder _packedDecoder;

    public ChunkDecoder(ArraySegment<byte> chunk)
    {
        _packed = Chunk.EncodingOf(chunk) == ChunkEncoding.Packed;
        if (_packed)
        {
            _packedDecoder = new PackedDecoder(chunk.Array!, chunk.Offset, chunk.Count);
        }
        else
        {
            _xor = new XorDecoder(chunk.Array!, chunk.Offset, chunk.Count);
        }
    }

    public readonly long Timestamp => _packed ? _packedDecoder.Timestamp : _xor.Timestamp;

    public readonly double Value => _packed ? _packedDecoder.Value : _xor.Value;

    public bool Next() => _packed ? _packedDecoder.Next() : _xor.Next();
}
