namespace Kansoku.Agent.Pipeline;

/// <summary>
/// When the agent counts written data as safe (Fluent Bit's [SERVICE] <c>storage.sync</c>). Checkpoints, disk buffers
/// and the file output follow the same policy, so a checkpoint is never more durable than the data it points past.
/// </summary>
internal enum SyncPolicy
{
    /// <summary>
    /// Written to the operating system before it is acknowledged: survives the agent being killed (SIGKILL, OOM kill,
    /// a crash) at any moment; a power loss or kernel panic can lose the last seconds. Fluent Bit's default.
    /// </summary>
    Normal,

    /// <summary>fsync before acknowledging: survives power loss too, at the cost of a disk flush per batch.</summary>
    Full,
}
