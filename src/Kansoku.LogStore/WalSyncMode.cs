namespace Kansoku.LogStore;

/// <summary>When the write-ahead log is fsynced relative to acknowledging an append.</summary>
internal enum WalSyncMode
{
    /// <summary>
    /// fsync before every acknowledgement (group commit: appends that queue while one fsync runs share the next).
    /// Acknowledged entries survive a process kill and a power loss.
    /// </summary>
    Always,

    /// <summary>
    /// Acknowledge once written to the OS, fsync every <see cref="LogStorageOptions.WalSyncInterval"/>. Survives a
    /// process kill (the page cache outlives the process); a power loss can lose up to one interval.
    /// </summary>
    Periodic,
}
