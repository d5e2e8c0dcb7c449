using System.IO.Hashing;

namespace Kansoku.LogStore.Binary;

/// <summary>
/// Numbers distinct byte strings in the order they are first added (0, 1, 2, ...) and keeps their bytes back to back,
/// so a block's field names and shapes are interned without an allocation per lookup. Open addressing on XxHash3.
/// </summary>
internal sealed class ByteStringTable : IDisposable
{
    private readonly ByteBuffer _bytes = new(4096);
    private readonly List<(int Offset, int Length)> _entries = [];
    private int[] _slots = new int[64];
    private ulong[] _slotHashes = new ulong[64];

    public ByteStringTable()
    {
        Array.Fill(_slots, -1);
    }

    public int Count => _entries.Count;

    /// <summary>The bytes of every string, in id order (each string's bytes are <see cref="this[int]"/>).</summary>
    public ReadOnlySpan<byte> AllBytes => _bytes.Span;

    public ReadOnlySpan<byte> this[int id]
    {
        get
        {
            var (offset, length) = _entries[id];
            return _bytes.Span.Slice(offset, length);
        }
    }

    /// <summary>The id of <paramref name="value"/>, or -1 when it was never added.</summary>
    public int Find(ReadOnlySpan<byte> value) => _slots[Slot(value, XxHash3.HashToUInt64(value))];

    public int GetOrAdd(ReadOnlySpan<byte> value)
    {
        var hash = XxHash3.HashToUInt64(value);
        var slot = Slot(value, hash);
        if (_slots[slot] >= 0)
        {
            return _slots[slot];
        }
        var id = _entries.Count;
        _entries.Add((_bytes.Length, value.Length));
        _bytes.Write(value);
        _slots[slot] = id;
        _slotHashes[slot] = hash;
        if (_entries.Count * 2 > _slots.Length)
        {
            Grow();
        }
        return id;
    }

    public void Clear()
    {
        if (_entries.Count == 0)
        {
            return;
        }
        _entries.Clear();
        _bytes.Clear();
        Array.Fill(_slots, -1);
    }

    public void Dispose() => _bytes.Dispose();

    /// <summary>The slot holding <paramref name="value"/>, or the empty slot where it would go.</summary>
    private int Slot(ReadOnlySpan<byte> value, ulong hash)
    {
        var mask = _slots.Length - 1;
        var slot = (int)hash & mask;
        while (true)
        {
            var id = _slots[slot];
            if (id < 0 || (_slotHashes[slot] == hash && this[id].SequenceEqual(value)))
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void Grow()
    {
        var slots = new int[_slots.Length * 2];
        var hashes = new ulong[slots.Length];
        Array.Fill(slots, -1);
        var mask = slots.Length - 1;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] < 0)
            {
                continue;
            }
            var slot = (int)_slotHashes[i] & mask;
            while (slots[slot] >= 0)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = _slots[i];
            hashes[slot] = _slotHashes[i];
        }
        _slots = slots;
        _slotHashes = hashes;
    }
}
