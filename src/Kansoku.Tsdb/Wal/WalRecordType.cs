namespace Kansoku.Tsdb.Wal;

/// <summary>The record types of WAL segments and checkpoints (docs/format/tsdb.md, "WAL").</summary>
internal enum WalRecordType : byte
{
    Series = 1,
    Samples = 2,
    Chunks = 3,
}
