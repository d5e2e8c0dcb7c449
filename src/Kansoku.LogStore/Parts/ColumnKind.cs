namespace Kansoku.LogStore.Parts;

/// <summary>
/// What a column of a block holds. Readers skip kinds they do not know, so columns (for example structured fields of
/// JSON lines) can be added without a format break.
/// </summary>
internal enum ColumnKind : byte
{
    /// <summary>varint deltas: entry i's timestamp minus entry i-1's (entry 0 minus the block's minimum, so 0).</summary>
    Timestamps = 1,

    /// <summary>varint length of every line, then the lines' bytes back to back.</summary>
    Lines = 2,
}
