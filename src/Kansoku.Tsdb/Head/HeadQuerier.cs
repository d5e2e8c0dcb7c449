using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Index;
using Kansoku.Tsdb.Querying;

namespace Kansoku.Tsdb.Head;

/// <summary>Reads the head: postings for matching, chunks copied per series at Select.</summary>
internal sealed class HeadQuerier(HeadBlock head, long minTime, long maxTime) : IndexQuerier(minTime, maxTime)
{
    protected override IPostingsIndex Index => head.Postings;

    protected override bool IdsInLabelOrder => false;

    protected override ISeries? Series(ulong id)
    {
        if (!head.TryGetByRef(id, out var series))
        {
            return null;
        }
        HeadChunks? chunks;
        lock (series)
        {
            chunks = series.Snapshot(MinTime, MaxTime);
        }
        return chunks is null ? null : new ChunkSeries(series.Labels, chunks, MinTime, MaxTime);
    }

    protected override LabelSet? Labels(ulong id) => head.TryGetByRef(id, out var series) ? series.Labels : null;
}
