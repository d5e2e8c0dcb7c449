using Kansoku.Server.Prometheus;
using Kansoku.Tsdb;

namespace Kansoku.Server.Metrics;

/// <summary>The TSDB's head statistics as <c>/api/v1/status/tsdb</c> shows them.</summary>
internal sealed class TsdbStatusView(Tsdb.Tsdb store) : ITsdbStatusView
{
    public TsdbStatus Status(int limit)
    {
        var stats = store.Stats(limit);
        return new TsdbStatus(
            new TsdbHeadStats(stats.NumSeries, stats.NumLabelPairs, stats.ChunkCount, stats.MinTime, stats.MaxTime),
            Cardinality(stats.SeriesCountByMetricName),
            Cardinality(stats.LabelValueCountByLabelName),
            Cardinality(stats.MemoryInBytesByLabelName),
            Cardinality(stats.SeriesCountByLabelValuePair));
    }

    private static CardinalityStat[] Cardinality(IReadOnlyList<TsdbStat> stats)
    {
        var result = new CardinalityStat[stats.Count];
        for (var i = 0; i < stats.Count; i++)
        {
            result[i] = new CardinalityStat(stats[i].Name, stats[i].Value);
        }
        return result;
    }
}
