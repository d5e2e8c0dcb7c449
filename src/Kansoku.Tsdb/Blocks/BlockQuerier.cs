using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Index;
using Kansoku.Tsdb.Querying;

namespace Kansoku.Tsdb.Blocks;

/// <summary>Reads one block; series ids are in label order, so results come sorted.</summary>
internal sealed class BlockQuerier(Block block, long minTime, long maxTime) : IndexQuerier(minTime, maxTime)
{
    protected override IPostingsIndex Index => block.Index;

    protected override bool IdsInLabelOrder => true;

    protected override ISeries? Series(ulong id)
    {
        var (labels, chunks) = block.Index.Series(id);
        var first = 0;
        while (first < chunks.Length && chunks[first].MaxTime < MinTime)
        {
            first++;
        }
        var end = first;
        while (end < chunks.Length && chunks[end].MinTime <= MaxTime)
        {
            end++;
        }
        return first == end ? null : new ChunkSeries(labels, new BlockChunks(block, chunks[first..end]), MinTime, MaxTime);
    }

    protected override LabelSet? Labels(ulong id) => block.Index.Series(id).Labels;
}
