namespace Kansoku.Agent.Pipeline;

/// <summary>How one agent process runs, apart from the pipeline it runs.</summary>
/// <param name="StateDirectory">Checkpoints and output buffers.</param>
/// <param name="Once">Read every matched file to its end, deliver, checkpoint and stop.</param>
/// <param name="HttpListen">host:port for /metrics and /healthz, or null for none.</param>
/// <param name="DrainTimeout">How long delivery may take at the end of a --once run or after SIGTERM.</param>
/// <param name="Sync">What "written" means for checkpoints, disk buffers and the file output.</param>
internal sealed record AgentRunOptions(string StateDirectory, bool Once, string? HttpListen, TimeSpan DrainTimeout, SyncPolicy Sync = SyncPolicy.Normal);
