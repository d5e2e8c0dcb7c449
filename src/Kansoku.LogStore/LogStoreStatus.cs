namespace Kansoku.LogStore;

/// <summary>
/// What the store holds now, for the status page: the oldest entry kept (what retention left), partitions, parts, bytes.
/// </summary>
/// <param name="OldestUnixNano">The oldest entry's timestamp, null when empty.</param>
/// <param name="NewestUnixNano">The newest entry's timestamp, null when empty.</param>
/// <param name="PartBytes">Bytes of part files on disk.</param>
/// <param name="WalBytes">Bytes of WAL segments on disk.</param>
/// <param name="HeadBytes">Bytes of entries in memory (active and frozen heads).</param>
/// <param name="IdleHeadPageBytes">Memory kept for the next heads: pages of written heads, reused by new entries.</param>
/// <param name="CorruptParts">Part files that failed to open and are skipped.</param>
internal sealed record LogStoreStatus(
    long? OldestUnixNano,
    long? NewestUnixNano,
    int Partitions,
    int Parts,
    long PartBytes,
    long WalBytes,
    long HeadBytes,
    int Streams,
    long IdleHeadPageBytes,
    IReadOnlyList<string> CorruptParts);
