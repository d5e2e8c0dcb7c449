using Kansoku.Tsdb.Chunks;

namespace Kansoku.Tsdb.Blocks;

/// <summary>A block series' chunks, read from the chunks file when an iterator reaches them.</summary>
internal sealed class BlockChunks(Block block, ChunkMeta[] chunks) : IChunkSequence
{
    public int Count => chunks.Length;

    public long MinTime(int index) => chunks[index].MinTime;

    public long MaxTime(int index) => chunks[index].MaxTime;

    public ArraySegment<byte> Load(int index) => ChunkFile.Read(block.Chunks, chunks[index].Reference);
}
