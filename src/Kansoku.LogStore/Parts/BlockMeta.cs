namespace Kansoku.LogStore.Parts;

/// <summary>
/// A block as the part index describes it: its time range, size, where its columns and filter are, and their CRCs.
/// </summary>
internal readonly record struct BlockMeta(
    long MinTimestamp,
    long MaxTimestamp,
    int Entries,
    int RawBytes,
    long DataOffset,
    int DataLength,
    uint DataCrc,
    ColumnRef Timestamps,
    ColumnRef Lines,
    long FilterOffset,
    int FilterLog2Bits,
    uint FilterCrc)
{
    public bool HasFilter => FilterLog2Bits != 0;
}
