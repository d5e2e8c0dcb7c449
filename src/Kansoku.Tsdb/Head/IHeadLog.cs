namespace Kansoku.Tsdb.Head;

/// <summary>Where the head writes a transaction before applying it (the WAL). Called under the head's commit lock.</summary>
internal interface IHeadLog
{
    void LogCommit(ReadOnlySpan<PendingSample> samples);
}
