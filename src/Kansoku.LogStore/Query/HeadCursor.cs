using System.Buffers;
using Kansoku.LogStore.Head;

namespace Kansoku.LogStore.Query;

/// <summary>
/// A head stream's snapshot in a query's range: the entries in range (and holding every needle) are picked and, if the
/// stream received entries out of order, sorted by (time, arrival) on the first <see cref="MoveNext"/>.
/// </summary>
internal sealed class HeadCursor : EntryCursor
{
    private readonly HeadStreamSnapshot _snapshot;
    private readonly QueryRange _range;
    private int[]? _order;
    private int _count;
    private int _position = -1;
    private HeadEntry _current;

    public HeadCursor(HeadStreamSnapshot snapshot, QueryRange range)
    {
        _snapshot = snapshot;
        _range = range;
    }

    public override ReadOnlySpan<byte> Line => _snapshot.Line(_current);

    public override bool MoveNext()
    {
        if (_order is null)
        {
            Select();
            _position = -1;
        }
        if (++_position >= _count)
        {
            return false;
        }
        var index = _range.Forward ? _order![_position] : _order![_count - 1 - _position];
        _current = _snapshot.Entries[index];
        Timestamp = _current.Timestamp;
        return true;
    }

    public override void Dispose()
    {
        if (_order is { Length: > 0 } order)
        {
            ArrayPool<int>.Shared.Return(order);
        }
        _order = [];
        _count = 0;
    }

    private void Select()
    {
        var entries = _snapshot.Entries;
        var order = ArrayPool<int>.Shared.Rent(Math.Max(_snapshot.Count, 1));
        var count = 0;
        for (var i = 0; i < _snapshot.Count; i++)
        {
            var entry = entries[i];
            if (entry.Timestamp >= _range.Start && entry.Timestamp < _range.End
                && (_range.Needles.Count == 0 || ContainsAll(_snapshot.Line(entry), _range.Needles)))
            {
                order[count++] = i;
            }
        }
        if (!_snapshot.Sorted)
        {
            // Arrival order breaks ties, so equal timestamps keep the order they were appended in.
            order.AsSpan(0, count).Sort((a, b) =>
            {
                var byTime = entries[a].Timestamp.CompareTo(entries[b].Timestamp);
                return byTime != 0 ? byTime : a.CompareTo(b);
            });
        }
        _order = order;
        _count = count;
    }
}
