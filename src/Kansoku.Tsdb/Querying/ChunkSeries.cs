using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Chunks;

namespace Kansoku.Tsdb.Querying;

/// <summary>A series of one head or block: its chunks, read within the querier's range.</summary>
internal sealed class ChunkSeries(LabelSet labels, IChunkSequence chunks, long minTime, long maxTime) : ISeries
{
    public LabelSet Labels { get; } = labels;

    public ISampleIterator Iterator() => new ChunkSeriesIterator(chunks, minTime, maxTime);
}
