using System.Runtime.CompilerServices;

namespace Kansoku.Tsdb.Chunks;

/// <summary>
/// Appends bits most-significant first to a growable byte array. A value type held inside its owner (a series' open
/// chunk) so that an open chunk costs one array and no extra object.
/// </summary>
internal struct BitWriter
{
    private byte[] _buffer;
    private int _bitLength;

    public BitWriter(int initialBytes, int reservedBytes)
    {
        _buffer = new byte[initialBytes];
        _bitLength = reservedBytes * 8;
    }

    public readonly bool IsAllocated => _buffer is not null;

    public readonly int ByteLength => (_bitLength + 7) >> 3;

    /// <summary>The array being written; only the first <see cref="ByteLength"/> bytes mean anything.</summary>
    public readonly byte[] Buffer => _buffer;

    public void WriteBit(bool bit)
    {
        EnsureBits(1);
        if (bit)
        {
            _buffer[_bitLength >> 3] |= (byte)(0x80 >> (_bitLength & 7));
        }
        _bitLength++;
    }

    public void WriteBits(ulong value, int count)
    {
        EnsureBits(count);
        while (count > 0)
        {
            var bitInByte = _bitLength & 7;
            var free = 8 - bitInByte;
            var take = Math.Min(free, count);
            var bits = (uint)(value >> (count - take)) & ((1u << take) - 1);
            _buffer[_bitLength >> 3] |= (byte)(bits << (free - take));
            _bitLength += take;
            count -= take;
        }
    }

    public void WriteUVarint(ulong value)
    {
        while (value >= 0x80)
        {
            WriteBits((value & 0x7F) | 0x80, 8);
            value >>= 7;
        }
        WriteBits(value, 8);
    }

    public void WriteVarint(long value) => WriteUVarint((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>An exact-size copy of the written bytes, for a chunk that is closed.</summary>
    public readonly byte[] ToArray() => _buffer.AsSpan(0, ByteLength).ToArray();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureBits(int count)
    {
        if (_bitLength + count > _buffer.Length * 8)
        {
            Grow(count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        // Growing by half keeps the copies amortised with a third less slack than doubling: 200k open chunks of a head
        // hold it, while a closed chunk is trimmed to size.
        var needed = (_bitLength + count + 7) >> 3;
        Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length + Math.Max(16, _buffer.Length / 2)));
    }
}
