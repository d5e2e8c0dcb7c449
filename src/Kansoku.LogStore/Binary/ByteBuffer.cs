using System.Buffers;
using System.Buffers.Binary;

namespace Kansoku.LogStore.Binary;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}"/> with the little-endian and varint writers the on-disk
/// formats use. Dispose returns the array; the written bytes are invalid afterwards.
/// </summary>
internal sealed class ByteBuffer : IDisposable
{
    private byte[] _array;
    private int _length;

    public ByteBuffer(int capacity = 4096)
    {
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 16));
    }

    public int Length => _length;

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, _length);

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, _length);

    public byte[] Array => _array;

    public void Clear() => _length = 0;

    /// <summary>Drops everything written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)_length, nameof(length));
        _length = length;
    }

    /// <summary>Reserves <paramref name="count"/> bytes at the end and returns them for the caller to fill.</summary>
    public Span<byte> Reserve(int count)
    {
        Ensure(count);
        var span = _array.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Space to write up to <paramref name="count"/> bytes; commit what was written with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int count)
    {
        Ensure(count);
        return _array.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_array.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _array[_length++] = value;
    }

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteVarint(ulong value)
    {
        Ensure(10);
        var array = _array;
        var i = _length;
        while (value >= 0x80)
        {
            array[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        array[i++] = (byte)value;
        _length = i;
    }

    public void WriteZigZag(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>A varint length followed by the UTF-8 bytes of <paramref name="text"/>.</summary>
    public void WriteString(string text)
    {
        var count = System.Text.Encoding.UTF8.GetByteCount(text);
        WriteVarint((ulong)count);
        System.Text.Encoding.UTF8.GetBytes(text, Reserve(count));
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _length = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int count)
    {
        if (_array.Length - _length < count)
        {
            Grow(count);
        }
    }

    private void Grow(int count)
    {
        var needed = (long)_length + count;
        if (needed > System.Array.MaxLength)
        {
            throw new InvalidOperationException($"buffer of {needed} bytes is too large");
        }
        var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, (long)_array.Length * 2), System.Array.MaxLength));
        _array.AsSpan(0, _length).CopyTo(next);
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }
        _array = next;
    }
}
