namespace Kansoku.Tsdb;

public sealed partial class Tsdb
{
    /// <summary>
    /// Head statistics for /api/v1/status/tsdb: series, label pairs, chunks, time range (0 when empty, as Prometheus
    /// reports an empty head) and the top <paramref name="limit"/> of each cardinality list.
    /// </summary>
    public TsdbStats Stats(int limit = 10)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        long chunks = 0;
        foreach (var series in _head.AllSeries())
        {
            lock (series)
            {
                chunks += series.ChunkCount;
            }
        }
        var metricNames = new List<TsdbStat>();
        var valueCounts = new List<TsdbStat>();
        var memory = new Dictionary<string, long>(StringComparer.Ordinal);
        var pairs = new List<TsdbStat>();
        _head.Postings.VisitCardinality(
            (name, values) => valueCounts.Add(new TsdbStat(name, values)),
            (name, value, series) =>
            {
                if (name == "__name__")
                {
                    metricNames.Add(new TsdbStat(value, series));
                }
                pairs.Add(new TsdbStat(name + "=" + value, series));
                memory[name] = memory.GetValueOrDefault(name) + ((long)value.Length * series);
            });
        var memoryStats = new List<TsdbStat>(memory.Count);
        foreach (var (name, bytes) in memory)
        {
            memoryStats.Add(new TsdbStat(name, bytes));
        }
        var empty = _head.IsEmpty;
        return new TsdbStats(
            _head.SeriesCount,
            pairs.Count,
            chunks,
            empty ? 0 : _head.MinTime,
            empty ? 0 : _head.MaxTime,
            Top(metricNames, limit),
            Top(valueCounts, limit),
            Top(memoryStats, limit),
            Top(pairs, limit));
    }

    private static List<TsdbStat> Top(List<TsdbStat> stats, int limit)
    {
        stats.Sort((a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Name, b.Name));
        return stats.Count > limit ? stats.GetRange(0, limit) : stats;
    }
}
