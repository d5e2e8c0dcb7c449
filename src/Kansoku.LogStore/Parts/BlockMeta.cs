namespace Kansoku.LogStore.Parts;

/// <summary>
/// A block as the part index describes it: its time range, size, where its columns and filter are, and their CRCs.
/// A shaped block (<see cref="Shapes"/> set) keeps its JSON lines column-wise: <see cref="Lines"/> then holds only the
/// lines kept whole, and <see cref="Fields"/> the field columns in the order of the shapes column's field table.
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
    ColumnRef? Shapes,
    ColumnRef[] Fields,
    long FilterOffset,
    int FilterLog2Bits,
    uint FilterCrc)
{
    public bool HasFilter => FilterLog2Bits != 0;
}
