namespace Kansoku.Server.Prometheus;

/// <summary>The head block's totals in <c>/api/v1/status/tsdb</c>; times in milliseconds.</summary>
internal sealed record TsdbHeadStats(long NumSeries, long NumLabelPairs, long ChunkCount, long MinTimeMs, long MaxTimeMs);

/// <summary>One cardinality entry: a metric name, label name or <c>name=value</c> pair and its count (or bytes).</summary>
internal readonly record struct CardinalityStat(string Name, long Value);

/// <summary>The cardinality statistics Prometheus computes from the head's postings, each list largest first.</summary>
internal sealed record TsdbStatus(
    TsdbHeadStats HeadStats,
    IReadOnlyList<CardinalityStat> SeriesCountByMetricName,
    IReadOnlyList<CardinalityStat> LabelValueCountByLabelName,
    IReadOnlyList<CardinalityStat> MemoryInBytesByLabelName,
    IReadOnlyList<CardinalityStat> SeriesCountByLabelValuePair);

/// <summary>The TSDB's statistics for <c>/api/v1/status/tsdb</c>. Thread-safe.</summary>
internal interface ITsdbStatusView
{
    /// <summary>The statistics with at most <paramref name="limit"/> entries per list (the top ones).</summary>
    TsdbStatus Status(int limit);
}
