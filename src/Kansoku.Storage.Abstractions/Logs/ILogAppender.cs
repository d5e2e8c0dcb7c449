namespace Kansoku.Storage.Logs;

/// <summary>Where ingest writes logs.</summary>
public interface ILogAppender
{
    /// <summary>
    /// Writes the streams' entries. Must complete only once they are durable (in the write-ahead log under the store's
    /// fsync policy): a caller acknowledges its client after this and the entries must then survive a crash.
    /// Throws <see cref="LogStoreOverloadedException"/> when the store cannot take more now (HTTP 429) and
    /// <see cref="ArgumentException"/> for entries it refuses (HTTP 400).
    /// The lines' memory is valid only until the returned task completes: callers pass views of request buffers they
    /// reuse afterwards, so an implementation that keeps entries (or reads them later) must copy them first.
    /// </summary>
    ValueTask AppendAsync(IReadOnlyList<LogStreamBatch> streams, CancellationToken cancellationToken);
}
