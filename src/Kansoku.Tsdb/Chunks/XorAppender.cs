using System.Buffers.Binary;
using System.Numerics;

namespace Kansoku.Tsdb.Chunks;

/// <summary>
/// Gorilla encoding of one chunk (docs/format/tsdb.md, "Chunks"): the encoding byte, a 2-byte big-endian sample count, then a bit stream
/// with the first timestamp as a varint and the first value raw, the second timestamp as a delta, and from the third
/// on delta-of-delta timestamps; values after the first are XOR-ed with the previous one, except runs of integers,
/// which store the change of their difference (counters cost a few bits a sample instead of ~20). A mutable value
/// type, held in the series that owns it.
/// </summary>
internal struct XorAppender
{
    /// <summary>The encoding byte and the sample count (u16 big-endian).</summary>
    public const int HeaderBytes = 3;
    private const byte NoWindow = 0xFF;

    private BitWriter _bits;
    private long _lastTimestamp;
    private long _lastDelta;
    private ulong _lastValueBits;
    private byte _leading;
    private byte _trailing;

    /// <summary>The last difference of two integer values in a row; 0 after any other kind of step.</summary>
    private long _intDelta;

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
            _bits.Buffer[0] = (byte)ChunkEncoding.Xor;
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
        BinaryPrimitives.WriteUInt16BigEndian(_bits.Buffer.AsSpan(1), (ushort)Count);
    }

    /// <summary>An exact-size copy of the chunk, header included.</summary>
    public readonly byte[] ToArray() => _bits.ToArray();

    private void WriteDeltaOfDelta(long dod)
    {
        if (dod == 0)
        {
            _bits.WriteBit(false);
        }
        else if (XorBuckets.Fits(dod, 7))
        {
            _bits.WriteBits(0b10, 2);
            _bits.WriteBits((ulong)dod, 7);
        }
        else if (XorBuckets.Fits(dod, 14))
        {
            _bits.WriteBits(0b110, 3);
            _bits.WriteBits((ulong)dod, 14);
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

    /// <summary>
    /// '0': the same value. '10': both this and the previous value are integers (counters, mostly), stored as the
    /// change of their difference. '11': Gorilla's XOR with the previous value.
    /// </summary>
    private void WriteValue(ulong valueBits)
    {
        var xor = valueBits ^ _lastValueBits;
        if (xor == 0)
        {
            _bits.WriteBit(false);
            _intDelta = 0;
            return;
        }
        _bits.WriteBit(true);
        var value = BitConverter.UInt64BitsToDouble(valueBits);
        var last = BitConverter.UInt64BitsToDouble(_lastValueBits);
        if (XorBuckets.IsExactInteger(value) && XorBuckets.IsExactInteger(last))
        {
            var delta = (long)value - (long)last;
            _bits.WriteBit(false);
            WriteIntegerDeltaOfDelta(delta - _intDelta);
            _intDelta = delta;
            return;
        }
        _intDelta = 0;
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

    private void WriteIntegerDeltaOfDelta(long dod)
    {
        if (dod == 0)
        {
            _bits.WriteBit(false);
        }
        else if (XorBuckets.Fits(dod, 7))
        {
            _bits.WriteBits(0b10, 2);
            _bits.WriteBits((ulong)dod, 7);
        }
        else if (XorBuckets.Fits(dod, 16))
        {
            _bits.WriteBits(0b110, 3);
            _bits.WriteBits((ulong)dod, 16);
        }
        else if (XorBuckets.Fits(dod, 32))
        {
            _bits.WriteBits(0b1110, 4);
            _bits.WriteBits((ulong)dod, 32);
        }
        else
        {
            _bits.WriteBits(0b1111, 4);
            _bits.WriteBits((ulong)dod, 64);
        }
    }
}
