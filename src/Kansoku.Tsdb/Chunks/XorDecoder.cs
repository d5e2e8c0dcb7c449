using System.Buffers.Binary;

namespace Kansoku.Tsdb.Chunks;

/// <summary>Decodes the samples of one XOR chunk (<see cref="XorAppender"/>) in order.</summary>
internal struct XorDecoder
{
    private BitReader _bits;
    private readonly int _count;
    private int _read;
    private long _delta;
    private ulong _valueBits;
    private byte _leading;
    private byte _trailing;
    private long _intDelta;

    /// <summary>A decoder over <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>, header included.</summary>
    public XorDecoder(byte[] buffer, int offset, int length)
    {
        // A legacy chunk has no encoding byte: its count starts at once.
        var countAt = length > 0 && buffer[offset] == (byte)ChunkEncoding.LegacyXor ? 0 : 1;
        if (length < countAt + 2)
        {
            throw new InvalidDataException("chunk shorter than its header");
        }
        _count = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(offset + countAt, 2));
        _bits = new BitReader(buffer, offset + countAt + 2, offset + length);
    }

    public readonly int Count => _count;

    public long Timestamp { get; private set; }

    public readonly double Value => BitConverter.UInt64BitsToDouble(_valueBits);

    public bool Next()
    {
        if (_read >= _count)
        {
            return false;
        }
        if (_read == 0)
        {
            Timestamp = _bits.ReadVarint();
            _valueBits = _bits.ReadBits(64);
        }
        else if (_read == 1)
        {
            _delta = (long)_bits.ReadUVarint();
            Timestamp += _delta;
            ReadValue();
        }
        else
        {
            _delta += ReadDeltaOfDelta();
            Timestamp += _delta;
            ReadValue();
        }
        _read++;
        return true;
    }

    private long ReadDeltaOfDelta()
    {
        if (!_bits.ReadBit())
        {
            return 0;
        }
        if (!_bits.ReadBit())
        {
            return XorBuckets.FromBucket(_bits.ReadBits(7), 7);
        }
        if (!_bits.ReadBit())
        {
            return XorBuckets.FromBucket(_bits.ReadBits(14), 14);
        }
        if (!_bits.ReadBit())
        {
            return XorBuckets.FromBucket(_bits.ReadBits(20), 20);
        }
        return (long)_bits.ReadBits(64);
    }

    private void ReadValue()
    {
        if (!_bits.ReadBit())
        {
            _intDelta = 0;
            return;
        }
        if (!_bits.ReadBit())
        {
            _intDelta += ReadIntegerDeltaOfDelta();
            _valueBits = BitConverter.DoubleToUInt64Bits((long)BitConverter.UInt64BitsToDouble(_valueBits) + _intDelta);
            return;
        }
        _intDelta = 0;
        if (_bits.ReadBit())
        {
            _leading = (byte)_bits.ReadBits(5);
            var significant = (int)_bits.ReadBits(6);
            if (significant == 0)
            {
                significant = 64;
            }
            _trailing = (byte)(64 - _leading - significant);
        }
        var width = 64 - _leading - _trailing;
        _valueBits ^= _bits.ReadBits(width) << _trailing;
    }

    private long ReadIntegerDeltaOfDelta()
    {
        if (!_bits.ReadBit())
        {
            return 0;
        }
        if (!_bits.ReadBit())
        {
            return XorBuckets.FromBucket(_bits.ReadBits(7), 7);
        }
        if (!_bits.ReadBit())
        {
            return XorBuckets.FromBucket(_bits.ReadBits(16), 16);
        }
        if (!_bits.ReadBit())
        {
            return XorBuckets.FromBucket(_bits.ReadBits(32), 32);
        }
        return (long)_bits.ReadBits(64);
    }
}
