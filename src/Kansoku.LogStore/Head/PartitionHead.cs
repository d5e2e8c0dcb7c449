using Kansoku.Core.Labels;

namespace Kansoku.LogStore.Head;

/// <summary>
/// The in-memory entries of one partition (day) since the last flush, per stream. The active head takes appends; a flush
/// freezes it (no more appends) and writes it to a part. Guarded by the storage lock. Reference-counted: the partition
/// holds one reference until the head is written to a part or dropped, and every reader of its snapshots (queries, the
/// flush writing it) one more; its pages go back to the pool when the last is released.
/// </summary>
internal sealed class PartitionHead : RefCounted
{
    private readonly Dictionary<int, HeadStream> _streams = [];
    private readonly HeadPagePool _pool;

    public PartitionHead(long sequence, HeadPagePool pool)
    {
        Sequence = sequence;
        _pool = pool;
    }

    /// <summary>Orders heads of a partition by age (for entries with equal timestamps: older first).</summary>
    public long Sequence { get; }

    public long Bytes { get; private set; }
    public long Entries { get; private set; }
    public long MinTimestamp { get; private set; } = long.MaxValue;
    public long MaxTimestamp { get; private set; } = long.MinValue;

    public IReadOnlyCollection<HeadStream> Streams => _streams.Values;

    public HeadStream? Find(int streamId) => _streams.GetValueOrDefault(streamId);

    public void Append(int streamId, LabelSet labels, long timestamp, ReadOnlySpan<byte> line)
    {
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            stream = new HeadStream(streamId, labels, _pool);
            _streams.Add(streamId, stream);
        }
        Bytes += stream.Append(timestamp, line);
        Entries++;
        MinTimestamp = Math.Min(MinTimestamp, timestamp);
        MaxTimestamp = Math.Max(MaxTimestamp, timestamp);
    }

    protected override void Free()
    {
        foreach (var stream in _streams.Values)
        {
            stream.ReturnPages();
        }
    }
}
