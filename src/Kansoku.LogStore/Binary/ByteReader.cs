using System.Buffers.Binary;

namespace Kansoku.LogStore.Binary;

/// <summary>
/// Reads what <see cref="ByteBuffer"/> writes. Input comes from disk and may be corrupt: every read is bounds-checked
/// and throws <see cref="InvalidDataException"/>, which callers turn into "corrupt part / record" reports.
/// </summary>
internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Truncated();
        }
        return _data[_position++];
    }

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    public ulong ReadVarint()
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

    public long ReadZigZag()
    {
        var raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>A varint that must fit in an int and be at most <paramref name="max"/>.</summary>
    public int ReadLength(int max = int.MaxValue)
    {
        var value = ReadVarint();
        if (value > (ulong)max)
        {
            throw new InvalidDataException($"length {value} exceeds {max}");
        }
        return (int)value;
    }

    public long ReadOffset()
    {
        var value = ReadVarint();
        if (value > long.MaxValue)
        {
            throw new InvalidDataException($"offset {value} out of range");
        }
        return (long)value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            throw Truncated();
        }
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes(ReadLength(Remaining)));

    private static InvalidDataException Truncated() => new("unexpected end of data");
}
