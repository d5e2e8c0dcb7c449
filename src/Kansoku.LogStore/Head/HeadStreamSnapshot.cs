using Kansoku.Core.Labels;

namespace Kansoku.LogStore.Head;

/// <summary>
/// The first <see cref="Count"/> entries of a head stream at one moment. The writer only ever appends past
/// <see cref="Count"/> (or into new arrays when growing), so the captured arrays can be read without a lock.
/// </summary>
internal readonly record struct HeadStreamSnapshot(
    int StreamId, LabelSet Labels, HeadEntry[] Entries, int Count, byte[][] Pages, bool Sorted, long MinTimestamp, long MaxTimestamp)
{
    public ReadOnlySpan<byte> Line(in HeadEntry entry) => Pages[entry.Page].AsSpan(entry.Offset, entry.Length);
}
