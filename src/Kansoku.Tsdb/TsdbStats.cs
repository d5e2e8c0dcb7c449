namespace Kansoku.Tsdb;

/// <summary>A name and a count, as the entries of Prometheus' /api/v1/status/tsdb lists.</summary>
public readonly record struct TsdbStat(string Name, long Value);

/// <summary>The head's statistics in the shape of Prometheus' headStats and cardinality lists (each sorted by value, descending).</summary>
public sealed record TsdbStats(
    long NumSeries,
    long NumLabelPairs,
    long ChunkCount,
    long MinTime,
    long MaxTime,
    IReadOnlyList<TsdbStat> SeriesCountByMetricName,
    IReadOnlyList<TsdbStat> LabelValueCountByLabelName,
    IReadOnlyList<TsdbStat> MemoryInBytesByLabelName,
    IReadOnlyList<TsdbStat> SeriesCountByLabelValuePair);
