namespace Kansoku.Tsdb.Chunks;

/// <summary>Reads bits most-significant first from a byte array, as <see cref="BitWriter"/> wrote them.</summary>
internal struct BitReader(byte[] buffer, int startByte, int endByte)
{
    private int _bitPosition = startByte * 8;
    private readonly int _bitEnd = endByte * 8;

    public readonly bool HasBits(long count) => _bitPosition + count <= _bitEnd;

    public void Skip(long count)
    {
        if (!HasBits(count))
        {
            throw new InvalidDataException("chunk shorter than its contents");
        }
        _bitPosition += (int)count;
    }

    public bool ReadBit()
    {
        var bit = (buffer[_bitPosition >> 3] >> (7 - (_bitPosition & 7))) & 1;
        _bitPosition++;
        return bit != 0;
    }

    public ulong ReadBits(int count)
    {
        ulong value = 0;
        while (count > 0)
        {
            var bitInByte = _bitPosition & 7;
            var available = 8 - bitInByte;
            var take = Math.Min(available, count);
            var current = buffer[_bitPosition >> 3];
            var bits = (uint)(current >> (available - take)) & ((1u << take) - 1);
            value = (value << take) | bits;
            _bitPosition += take;
            count -= take;
        }
        return value;
    }

    /// <summary>A byte-aligned-in-the-stream unsigned LEB128 varint (written with <see cref="BitWriter.WriteUVarint"/>).</summary>
    public ulong ReadUVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadBits(8);
            value |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new InvalidDataException("varint too long in chunk");
    }

    public long ReadVarint()
    {
        var zigzag = ReadUVarint();
        return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
    }
}
