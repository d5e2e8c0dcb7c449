namespace Kansoku.Tsdb.Chunks;

/// <summary>The chunks of one series in time order, loaded when an iterator reaches them (head: in memory; block: from the chunks file).</summary>
internal interface IChunkSequence
{
    int Count { get; }

    long MinTime(int index);

    long MaxTime(int index);

    /// <summary>The chunk's encoded bytes (header included).</summary>
    ArraySegment<byte> Load(int index);
}
