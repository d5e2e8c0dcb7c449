using Kansoku.Core.Labels;

namespace Kansoku.Storage.Metrics;

/// <summary>
/// One transaction of samples (Prometheus' <c>storage.Appender</c>). Nothing appended is visible to queries before
/// <see cref="Commit"/>; once it returns, the samples are queryable and in the write-ahead log under the store's fsync
/// policy. <see cref="Rollback"/> drops them. An appender is used once: after Commit or Rollback, get a new one.
/// </summary>
public interface ISampleAppender
{
    /// <summary>
    /// Adds a sample of the series <paramref name="labels"/> (which must hold <c>__name__</c> and no empty values) at
    /// <paramref name="timestampMs"/> (milliseconds since the Unix epoch). <paramref name="seriesRef"/> is what an earlier
    /// Append returned for the same labels (0 when unknown): it lets the store skip the label lookup. Returns the series'
    /// reference. A value of <see cref="StaleMarker.Value"/> marks the series stale at that time.
    /// Throws <see cref="SampleRejectedException"/> for a sample the store refuses (out of order, too old, duplicate
    /// timestamp with another value); the transaction stays usable.
    /// </summary>
    ulong Append(ulong seriesRef, LabelSet labels, long timestampMs, double value);

    void Commit();

    void Rollback();
}
