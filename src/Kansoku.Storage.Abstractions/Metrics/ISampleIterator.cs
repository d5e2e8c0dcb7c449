namespace Kansoku.Storage.Metrics;

/// <summary>
/// The samples of one series in time order (Prometheus' <c>chunkenc.Iterator</c>). Stale markers are returned as
/// samples (<see cref="StaleMarker"/>); the query engine decides what they mean.
/// </summary>
public interface ISampleIterator
{
    /// <summary>Moves to the next sample; false at the end.</summary>
    bool Next();

    /// <summary>
    /// Moves to the first sample at or after <paramref name="timestampMs"/>, or stays on the current one if it is already
    /// there; false when there is none. Never moves backwards.
    /// </summary>
    bool Seek(long timestampMs);

    long TimestampMs { get; }

    double Value { get; }
}
