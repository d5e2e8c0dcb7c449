using Kansoku.Tsdb.Chunks;

namespace Kansoku.Tsdb.Head;

/// <summary>A query's copy of a head series' chunk list.</summary>
internal sealed class HeadChunks(List<ClosedChunk> chunks) : IChunkSequence
{
    public int Count => chunks.Count;

    public long MinTime(int index) => chunks[index].MinTime;

    public long MaxTime(int index) => chunks[index].MaxTime;

    public ArraySegment<byte> Load(int index) => chunks[index].Bytes;
}
