namespace Kansoku.LogStore;

/// <summary>Running totals since the store was opened (for metrics and for tests). Thread-safe.</summary>
internal sealed class LogStoreCounters
{
    private long _entriesAppended;
    private long _bytesAppended;
    private long _entriesDroppedTooOld;
    private long _entriesDroppedTooNew;
    private long _overloads;
    private long _waitsForRoom;
    private long _walSyncs;
    private long _walWrites;
    private long _flushes;
    private long _merges;
    private long _blocksCopiedByMerges;
    private long _blocksRead;
    private long _blocksSkippedByFilter;
    private long _corruptBlocks;

    public long EntriesAppended => Volatile.Read(ref _entriesAppended);
    public long BytesAppended => Volatile.Read(ref _bytesAppended);

    /// <summary>Entries older than the retention window, dropped at append (retention would have deleted them at once).</summary>
    public long EntriesDroppedTooOld => Volatile.Read(ref _entriesDroppedTooOld);

    /// <summary>Entries more than MaxFutureSkew ahead, dropped at append.</summary>
    public long EntriesDroppedTooNew => Volatile.Read(ref _entriesDroppedTooNew);

    public long Overloads => Volatile.Read(ref _overloads);

    /// <summary>Appends that found the write queue or the heads full and waited for room (those that then failed are Overloads too).</summary>
    public long WaitsForRoom => Volatile.Read(ref _waitsForRoom);

    /// <summary>WAL fsyncs; with group commit one per write group, not per append.</summary>
    public long WalSyncs => Volatile.Read(ref _walSyncs);

    /// <summary>WAL write groups (one vectored write each).</summary>
    public long WalWrites => Volatile.Read(ref _walWrites);

    public long Flushes => Volatile.Read(ref _flushes);
    public long Merges => Volatile.Read(ref _merges);

    /// <summary>Blocks merges took over as they were (no other block overlapped them); the rest were re-encoded.</summary>
    public long BlocksCopiedByMerges => Volatile.Read(ref _blocksCopiedByMerges);

    /// <summary>Blocks read from parts by queries and merges.</summary>
    public long BlocksRead => Volatile.Read(ref _blocksRead);

    /// <summary>Blocks a query skipped because their token filter ruled the needle out.</summary>
    public long BlocksSkippedByFilter => Volatile.Read(ref _blocksSkippedByFilter);

    public long CorruptBlocks => Volatile.Read(ref _corruptBlocks);

    internal void AddAppended(long entries, long bytes)
    {
        Interlocked.Add(ref _entriesAppended, entries);
        Interlocked.Add(ref _bytesAppended, bytes);
    }

    internal void AddDropped(long tooOld, long tooNew)
    {
        Interlocked.Add(ref _entriesDroppedTooOld, tooOld);
        Interlocked.Add(ref _entriesDroppedTooNew, tooNew);
    }

    internal void Overloaded() => Interlocked.Increment(ref _overloads);
    internal void WaitedForRoom() => Interlocked.Increment(ref _waitsForRoom);
    internal void WalSynced() => Interlocked.Increment(ref _walSyncs);
    internal void WalWritten() => Interlocked.Increment(ref _walWrites);
    internal void Flushed() => Interlocked.Increment(ref _flushes);
    internal void Merged() => Interlocked.Increment(ref _merges);
    internal void BlockCopiedByMerge() => Interlocked.Increment(ref _blocksCopiedByMerges);
    internal void BlockRead() => Interlocked.Increment(ref _blocksRead);
    internal void BlockSkippedByFilter() => Interlocked.Increment(ref _blocksSkippedByFilter);
    internal void CorruptBlock() => Interlocked.Increment(ref _corruptBlocks);
}
