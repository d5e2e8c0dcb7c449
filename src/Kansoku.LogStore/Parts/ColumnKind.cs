namespace Kansoku.LogStore.Parts;

/// <summary>
/// What a column of a block holds. Readers skip kinds they do not know, so columns can be added without a format break.
/// </summary>
internal enum ColumnKind : byte
{
    /// <summary>varint deltas: entry i's timestamp minus entry i-1's (entry 0 minus the block's minimum, so 0).</summary>
    Timestamps = 1,

    /// <summary>
    /// varint length of every line, then the lines' bytes back to back. In a shaped block: only the lines no shape holds.
    /// </summary>
    Lines = 2,

    /// <summary>The field table, the shapes, and every entry's shape number (docs/format/logstore.md, "Shaped blocks").</summary>
    Shapes = 3,

    /// <summary>One field's values: varint count, varint length of each, then the values' bytes back to back.</summary>
    FieldValues = 4,
}
