using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Kansoku.Tsdb.Encoding;

/// <summary>A reusable, growable byte buffer with the little-endian and varint writes the WAL and index formats use.</summary>
internal sealed class ByteWriter(int initialCapacity = 4096)
{
    private byte[] _buffer = new byte[initialCapacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);

    public void Reset() => Length = 0;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void WriteUVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[Length++] = (byte)value;
    }

    public void WriteVarint(long value) => WriteUVarint((ulong)((value << 1) ^ (value >> 63)));

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(Length), value);
        Length += 8;
    }

    public void WriteDouble(double value) => WriteUInt64(BitConverter.DoubleToUInt64Bits(value));

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>A UTF-8 string prefixed with its byte length as a uvarint.</summary>
    public void WriteString(string value)
    {
        var byteCount = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteUVarint((ulong)byteCount);
        Ensure(byteCount);
        Length += System.Text.Encoding.UTF8.GetBytes(value, _buffer.AsSpan(Length));
    }

    /// <summary>Overwrites four bytes written earlier (a length or checksum known only later).</summary>
    public void PatchUInt32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(offset), value);

    public Span<byte> Slice(int offset, int length) => _buffer.AsSpan(offset, length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }
    }
}
