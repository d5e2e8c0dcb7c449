namespace Kansoku.Tsdb.Blocks;

/// <summary>A chunk as a block's index lists it: its time range and its offset in the chunks file.</summary>
internal readonly record struct ChunkMeta(long MinTime, long MaxTime, long Reference);
