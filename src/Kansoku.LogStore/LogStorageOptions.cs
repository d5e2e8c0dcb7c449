namespace Kansoku.LogStore;

/// <summary>Settings of a <see cref="LogStorage"/>. The defaults suit a single server replacing a small log cluster.</summary>
internal sealed record LogStorageOptions
{
    /// <summary>fsync policy of the write-ahead log; see <see cref="WalSyncMode"/> and docs/format/logstore.md.</summary>
    public WalSyncMode WalSync { get; init; } = WalSyncMode.Always;

    /// <summary>
    /// With <see cref="WalSyncMode.Always"/>: how long the WAL writer waits for more appends before writing and fsyncing
    /// a group. Zero (the default) still groups: whatever queues during one fsync shares the next.
    /// </summary>
    public TimeSpan GroupCommitWindow { get; init; } = TimeSpan.Zero;

    /// <summary>With <see cref="WalSyncMode.Periodic"/>: how often the WAL is fsynced.</summary>
    public TimeSpan WalSyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A WAL segment is closed and a new one started past this size.</summary>
    public long WalSegmentBytes { get; init; } = 64L << 20;

    /// <summary>Appends waiting for the WAL writer, in encoded bytes; past it appends fail with LogStoreOverloadedException.</summary>
    public long MaxPendingBytes { get; init; } = 32L << 20;

    /// <summary>
    /// In-memory entries (the heads, including those being flushed); past it appends fail with LogStoreOverloadedException
    /// until a flush catches up.
    /// </summary>
    public long MaxHeadBytes { get; init; } = 160L << 20;

    /// <summary>
    /// How long an append waits for room (in the write queue or the heads) before it fails with
    /// LogStoreOverloadedException: short bursts slow clients down rather than fail their requests.
    /// </summary>
    public TimeSpan OverloadWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The Retry-After given with LogStoreOverloadedException.</summary>
    public TimeSpan OverloadRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Heads are flushed to parts this often (Timeout.InfiniteTimeSpan: only by size or explicitly).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Heads are flushed to parts once they hold this many bytes.</summary>
    public long FlushHeadBytes { get; init; } = 64L << 20;

    /// <summary>Flush the heads when the storage is disposed, so the next open replays nothing.</summary>
    public bool FlushOnDispose { get; init; } = true;

    /// <summary>A block is closed at this many uncompressed line bytes...</summary>
    public int BlockRawBytes { get; init; } = 256 << 10;

    /// <summary>...or at this many entries.</summary>
    public int BlockMaxEntries { get; init; } = 32 << 10;

    /// <summary>
    /// Store the fields of JSON lines column by column in parts (docs/format/logstore.md, "Shaped blocks"): smaller, and
    /// the lines come back byte for byte. Off: every line is stored as it came.
    /// </summary>
    public bool JsonFieldColumns { get; init; } = true;

    /// <summary>zstd level of parts written by a flush.</summary>
    public int FlushCompressionLevel { get; init; } = 3;

    /// <summary>zstd level of parts written by a merge (off the ingest path, so it can afford more).</summary>
    public int MergeCompressionLevel { get; init; } = 5;

    /// <summary>How often the background merger looks for parts to merge (Timeout.InfiniteTimeSpan: never).</summary>
    public TimeSpan MergeInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most parts one merge reads.</summary>
    public int MaxMergeParts { get; init; } = 16;

    /// <summary>Parts at least this big (file bytes) are not merged further.</summary>
    public long MaxMergedPartBytes { get; init; } = 2L << 30;

    /// <summary>Entries older than this are dropped and whole days are deleted once older (null: keep forever).</summary>
    public TimeSpan? RetentionPeriod { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The oldest days are deleted while parts and WAL take more than this (null: no limit). The newest day is kept.</summary>
    public long? RetentionMaxBytes { get; init; }

    /// <summary>How often retention is applied (Timeout.InfiniteTimeSpan: only explicitly).</summary>
    public TimeSpan RetentionCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Entries further than this in the future are dropped (a client clock gone wrong).</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromDays(2);

    /// <summary>Lines longer than this are refused with ArgumentException (HTTP 400).</summary>
    public int MaxLineBytes { get; init; } = 4 << 20;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the store reports what an operator should see (corrupt parts, WAL truncation, failed flushes).</summary>
    public Action<string>? Log { get; init; }

    internal void Validate()
    {
        if (WalSegmentBytes < 1 << 16 || MaxPendingBytes < 1 << 16 || FlushHeadBytes < 1 << 10 || MaxHeadBytes < FlushHeadBytes)
        {
            throw new ArgumentException("WAL segment, pending, flush and head sizes are too small (or MaxHeadBytes < FlushHeadBytes)");
        }
        if (BlockRawBytes < 1 << 10 || BlockMaxEntries < 16 || MaxMergeParts < 2 || MaxLineBytes < 1)
        {
            throw new ArgumentException("block size, block entries, merge fan-in or line limit out of range");
        }
        if (RetentionPeriod is { } retention && retention <= TimeSpan.Zero)
        {
            throw new ArgumentException("RetentionPeriod must be positive (null keeps forever)");
        }
    }
}
