using Kansoku.Tsdb.Wal;

namespace Kansoku.Tsdb;

/// <summary>Settings of a <see cref="Tsdb"/> (Prometheus' --storage.tsdb.* flags).</summary>
public sealed class TsdbOptions
{
    public const long DefaultBlockDurationMs = 2 * 60 * 60 * 1000;

    /// <summary>Holds <c>wal/</c> and one directory per block.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Blocks whose newest sample is older than this (relative to the newest data) are deleted. Zero: keep by time forever.</summary>
    public TimeSpan RetentionTime { get; init; } = TimeSpan.FromDays(15);

    /// <summary>Oldest blocks are deleted while blocks and WAL together exceed this. Zero: no size limit.</summary>
    public long RetentionBytes { get; init; }

    /// <summary>The head is cut into blocks of this span, aligned to multiples of it.</summary>
    public long BlockDurationMs { get; init; } = DefaultBlockDurationMs;

    public WalFsyncMode WalFsync { get; init; } = WalFsyncMode.Periodic;

    /// <summary>How often <see cref="WalFsyncMode.Periodic"/> fsyncs the WAL.</summary>
    public TimeSpan WalFsyncInterval { get; init; } = TimeSpan.FromSeconds(10);

    public long WalSegmentBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>How often the background task checks for head compaction, block compaction and retention (Prometheus: 1 min).</summary>
    public TimeSpan CompactionInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Off in tests that drive compaction themselves.</summary>
    public bool BackgroundCompaction { get; init; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(DataDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockDurationMs, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(WalSegmentBytes, 64 * 1024);
        ArgumentOutOfRangeException.ThrowIfNegative(RetentionBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(RetentionTime, TimeSpan.Zero);
    }
}
