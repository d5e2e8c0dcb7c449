namespace Kansoku.Tsdb.Wal;

/// <summary>When the WAL is flushed to disk (it always reaches the OS at commit, so a killed process loses nothing).</summary>
public enum WalFsyncMode
{
    /// <summary>On segment close and every <c>TsdbOptions.WalFsyncInterval</c>: a power loss loses at most that interval.</summary>
    Periodic,

    /// <summary>Before every Commit returns: nothing committed is lost, at the cost of an fsync per transaction.</summary>
    EveryCommit,
}
