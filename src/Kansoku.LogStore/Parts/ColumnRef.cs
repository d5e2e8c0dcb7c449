namespace Kansoku.LogStore.Parts;

/// <summary>Where a column is inside its block's data region: offset from the region's start, stored and raw length.</summary>
internal readonly record struct ColumnRef(int Offset, int StoredLength, int RawLength, ColumnCodec Codec);
