using System.Buffers.Binary;

namespace Kansoku.Tsdb.Encoding;

/// <summary>Reads what <see cref="ByteWriter"/> wrote; throws <see cref="InvalidDataException"/> past the end.</summary>
internal ref struct ByteReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Position { get; set; }

    public readonly int Remaining => _bytes.Length - Position;

    public byte ReadByte()
    {
        Need(1);
        return _bytes[Position++];
    }

    public ulong ReadUVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new InvalidDataException("varint longer than 10 bytes");
    }

    public long ReadVarint()
    {
        var zigzag = ReadUVarint();
        return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
    }

    public int ReadLength()
    {
        var value = ReadUVarint();
        if (value > int.MaxValue)
        {
            throw new InvalidDataException("length out of range");
        }
        return (int)value;
    }

    public uint ReadUInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Position..]);
        Position += 4;
        return value;
    }

    public ulong ReadUInt64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(_bytes[Position..]);
        Position += 8;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadUInt64());

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var slice = _bytes.Slice(Position, count);
        Position += count;
        return slice;
    }

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes(ReadLength()));

    private readonly void Need(int count)
    {
        if (count < 0 || Position + count > _bytes.Length)
        {
            throw new InvalidDataException("record ends early");
        }
    }
}
