using Kansoku.Core.Labels;

namespace Kansoku.LogStore.Head;

/// <summary>
/// The in-memory entries of one partition (day) since the last flush, per stream. The active head takes appends; a flush
/// freezes it (no more appends) and writes it to a part. Guarded by the storage lock.
/// </summary>
internal sealed class PartitionHead
{
    private readonly Dictionary<int, HeadStream> _streams = [];

    public PartitionHead(long sequence)
    {
        Sequence = sequence;
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
            stream = new HeadStream(streamId, labels);
            _streams.Add(streamId, stream);
        }
        Bytes += stream.Append(timestamp, line);
        Entries++;
        MinTimestamp = Math.Min(MinTimestamp, timestamp);
        MaxTimestamp = Math.Max(MaxTimestamp, timestamp);
    }
}
