using System.Buffers.Binary;
using System.Numerics;

namespace Kansoku.Tsdb.Chunks;

/// <summary>
/// Gorilla encoding of one chunk (docs/format/tsdb.md, "Chunks"): a 2-byte big-endian sample count, then a bit stream
/// with the first timestamp as a varint and the first value raw, the second timestamp as a delta, and from the third
/// on delta-of-delta timestamps and XOR-ed values. A mutable value type, held in the series that owns it.
/// </summary>
internal struct XorAppender
{
    public const int HeaderBytes = 2;
    private const byte NoWindow = 0xFF;

    private BitWriter _bits;
    private long _lastTimestamp;
    private long _lastDelta;
    private ulong _lastValueBits;
    private byte _leading;
    private byte _trailing;

    public int Count { get; private set; }

    public long MinTime { get; private set; }

    public readonly long MaxTime => _lastTimestamp;

    public readonly int ByteLength => Count == 0 ? 0 : _bits.ByteLength;

    /// <summary>The chunk's bytes so far; valid up to <see cref="ByteLength"/> until the next append.</summary>
    public readonly byte[] Buffer => _bits.Buffer;

    public void Append(long timestampMs, double value)
    {
        var valueBits = BitConverter.DoubleToUInt64Bits(value);
        if (Count == 0)
        {
            _bits = new BitWriter(24, HeaderBytes);
            _bits.WriteVarint(timestampMs);
            _bits.WriteBits(valueBits, 64);
            MinTime = timestampMs;
            _leading = NoWindow;
        }
        else if (Count == 1)
        {
            _lastDelta = timestampMs - _lastTimestamp;
            _bits.WriteUVarint((ulong)_lastDelta);
            WriteValue(valueBits);
        }
        else
        {
            var delta = timestampMs - _lastTimestamp;
            WriteDeltaOfDelta(delta - _lastDelta);
            _lastDelta = delta;
            WriteValue(valueBits);
        }
        _lastTimestamp = timestampMs;
        _lastValueBits = valueBits;
        Count++;
        BinaryPrimitives.WriteUInt16BigEndian(_bits.Buffer, (ushort)Count);
    }

    /// <summary>An exact-size copy of the chunk, header included.</summary>
    public readonly byte[] ToArray() => _bits.ToArray();

    private void WriteDeltaOfDelta(long dod)
    {
        if (dod == 0)
        {
            _bits.WriteBit(false);
        }
        else if (XorBuckets.Fits(dod, 14))
        {
            _bits.WriteBits(0b10, 2);
            _bits.WriteBits((ulong)dod, 14);
        }
        else if (XorBuckets.Fits(dod, 17))
        {
            _bits.WriteBits(0b110, 3);
            _bits.WriteBits((ulong)dod, 17);
        }
        else if (XorBuckets.Fits(dod, 20))
        {
            _bits.WriteBits(0b1110, 4);
            _bits.WriteBits((ulong)dod, 20);
        }
        else
        {
            _bits.WriteBits(0b1111, 4);
            _bits.WriteBits((ulong)dod, 64);
        }
    }

    private void WriteValue(ulong valueBits)
    {
        var xor = valueBits ^ _lastValueBits;
        if (xor == 0)
        {
            _bits.WriteBit(false);
            return;
        }
        _bits.WriteBit(true);
        var leading = (byte)Math.Min(BitOperations.LeadingZeroCount(xor), XorBuckets.MaxLeading);
        var trailing = (byte)BitOperations.TrailingZeroCount(xor);
        if (_leading != NoWindow && leading >= _leading && trailing >= _trailing)
        {
            _bits.WriteBit(false);
            _bits.WriteBits(xor >> _trailing, 64 - _leading - _trailing);
            return;
        }
        _leading = leading;
        _trailing = trailing;
        var significant = 64 - leading - trailing;
        _bits.WriteBit(true);
        _bits.WriteBits(leading, 5);
        // 64 significant bits do not fit in 6 bits; 0 cannot occur otherwise (xor != 0), so it stands for 64.
        _bits.WriteBits((ulong)(significant & 63), 6);
        _bits.WriteBits(xor >> trailing, significant);
    }
}
