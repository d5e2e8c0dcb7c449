namespace Kansoku.LogStore.Parts;

/// <summary>How a column's bytes are stored.</summary>
internal enum ColumnCodec : byte
{
    /// <summary>As is (when compression would not make it smaller).</summary>
    None = 0,

    /// <summary>One zstd frame.</summary>
    Zstd = 1,
}
