using Kansoku.Core.Labels;
using Kansoku.Tsdb.Chunks;

namespace Kansoku.Tsdb.Head;

/// <summary>A closed, immutable chunk of a head series: its bytes trimmed to size.</summary>
internal readonly record struct ClosedChunk(long MinTime, long MaxTime, byte[] Bytes);

/// <summary>
/// One series in the head. The chunk fields are guarded by <c>lock (series)</c>; <see cref="WalLogged"/> by the head's
/// commit lock. Kept small on purpose (200k of these are the head's baseline): one open chunk inline, closed chunks in a
/// list allocated on the first cut.
/// </summary>
internal sealed class MemSeries(ulong reference, LabelSet labels)
{
    /// <summary>
    /// Samples per chunk of a block: twice Prometheus' 120, which halves the per-chunk cost (header, first sample,
    /// checksum, index entry: ~30 bytes, a quarter byte per sample at 120) for one more hour decoded at 15 s.
    /// </summary>
    public const int SamplesPerChunk = 240;

    /// <summary>
    /// Samples per chunk in the head, as Prometheus: the open chunk is XOR (a two-decimal gauge costs ~7 bytes a
    /// sample there, ~1.3 packed), so closing it sooner halves what it holds; head compaction re-chunks to
    /// <see cref="SamplesPerChunk"/> for the block.
    /// </summary>
    public const int HeadSamplesPerChunk = 120;

    public ulong Ref { get; } = reference;

    public LabelSet Labels { get; } = labels;

    public XorAppender Open;

    public List<ClosedChunk>? Closed;

    /// <summary>The block boundary the open chunk must not cross, so that every chunk belongs to one block range.</summary>
    public long OpenChunkEnd;

    public long LastTimestamp = long.MinValue;

    public ulong LastValueBits;

    /// <summary>Whether the WAL holds this series' record (written with its first committed sample).</summary>
    public bool WalLogged;

    /// <summary>Uncommitted samples held by appenders; -1 once the head has dropped the series (then it takes no more).</summary>
    private int _pendingAppends;

    public bool IsEmpty => Open.Count == 0 && (Closed is null || Closed.Count == 0);

    /// <summary>Adds a committed sample; false when it is not after the last one (a duplicate of it or out of order).</summary>
    public bool Append(long timestampMs, double value, long blockDurationMs)
    {
        if (timestampMs <= LastTimestamp)
        {
            return false;
        }
        if (Open.Count > 0 && (Open.Count >= HeadSamplesPerChunk || timestampMs >= OpenChunkEnd))
        {
            CutOpenChunk();
        }
        if (Open.Count == 0)
        {
            OpenChunkEnd = TimeRanges.Floor(timestampMs, blockDurationMs) + blockDurationMs;
        }
        Open.Append(timestampMs, value);
        LastTimestamp = timestampMs;
        LastValueBits = BitConverter.DoubleToUInt64Bits(value);
        return true;
    }

    /// <summary>Installs a chunk replayed from a WAL checkpoint.</summary>
    public void AddClosedChunk(ClosedChunk chunk)
    {
        if (Open.Count > 0)
        {
            CutOpenChunk();
        }
        (Closed ??= []).Add(chunk);
        LastTimestamp = Math.Max(LastTimestamp, chunk.MaxTime);
    }

    /// <summary>The chunks overlapping [minTime, maxTime], the open one copied (appends keep writing into its buffer).</summary>
    public HeadChunks? Snapshot(long minTime, long maxTime)
    {
        List<ClosedChunk>? chunks = null;
        if (Closed is not null)
        {
            foreach (var chunk in Closed)
            {
                if (chunk.MaxTime >= minTime && chunk.MinTime <= maxTime)
                {
                    (chunks ??= []).Add(chunk);
                }
            }
        }
        if (Open.Count > 0 && Open.MaxTime >= minTime && Open.MinTime <= maxTime)
        {
            (chunks ??= []).Add(new ClosedChunk(Open.MinTime, Open.MaxTime, Open.Buffer.AsSpan(0, Open.ByteLength).ToArray()));
        }
        return chunks is null ? null : new HeadChunks(chunks);
    }

    /// <summary>Drops the chunks that end before <paramref name="minTime"/>; returns the number dropped.</summary>
    public int Truncate(long minTime)
    {
        var removed = Closed?.RemoveAll(chunk => chunk.MaxTime < minTime) ?? 0;
        if (Open.Count > 0 && Open.MaxTime < minTime)
        {
            Open = default;
            removed++;
        }
        return removed;
    }

    /// <summary>Marks one uncommitted sample; false when the series was garbage-collected and must be looked up again.</summary>
    public bool TryPin()
    {
        while (true)
        {
            var pending = Volatile.Read(ref _pendingAppends);
            if (pending < 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _pendingAppends, pending + 1, pending) == pending)
            {
                return true;
            }
        }
    }

    public void Unpin() => Interlocked.Decrement(ref _pendingAppends);

    /// <summary>Retires an empty series that no appender holds; after this, <see cref="TryPin"/> fails.</summary>
    public bool TryRetire() => IsEmpty && Interlocked.CompareExchange(ref _pendingAppends, -1, 0) == 0;

    public bool IsRetired => Volatile.Read(ref _pendingAppends) < 0;

    public int ChunkCount => (Closed?.Count ?? 0) + (Open.Count > 0 ? 1 : 0);

    private void CutOpenChunk()
    {
        (Closed ??= []).Add(new ClosedChunk(Open.MinTime, Open.MaxTime, Chunk.Seal(Open)));
        Open = default;
    }
}
