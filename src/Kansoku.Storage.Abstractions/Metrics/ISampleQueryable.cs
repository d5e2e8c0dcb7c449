namespace Kansoku.Storage.Metrics;

/// <summary>What PromQL and the Prometheus API read (Prometheus' <c>storage.Queryable</c>).</summary>
public interface ISampleQueryable
{
    /// <summary>A reader of the samples in [<paramref name="minTimeMs"/>, <paramref name="maxTimeMs"/>] (both inclusive, as Prometheus).</summary>
    ISampleQuerier Querier(long minTimeMs, long maxTimeMs);
}
