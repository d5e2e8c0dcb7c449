namespace Kansoku.Agent.Outputs;

/// <summary>
/// A destination (Fluent Bit's [OUTPUT]). The pipeline hands it batches of records already serialised as NDJSON
/// in Fluent Bit's Kubernetes record shape (one JSON object per line: time, stream, log or parsed fields,
/// kubernetes{…}); each output turns them into its wire format.
/// </summary>
internal interface IOutput : IAsyncDisposable
{
    /// <summary>The output's name for metrics and logs, e.g. <c>es.0</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Takes a batch. Must complete only once the batch is durable: written and flushed to this output's disk buffer,
    /// or, for an unbuffered output, delivered. The tail checkpoints of these records advance only after that.
    /// While the buffer is full it waits (backpressure) unless a configured limit says to drop, and counts drops.
    /// </summary>
    ValueTask AcceptAsync(ReadOnlyMemory<byte> ndjson, int recordCount, CancellationToken cancellationToken);

    /// <summary>Starts delivering what is buffered, including what a previous run left on disk.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Waits until everything accepted so far is delivered, or <paramref name="bound"/> passes (then returns false;
    /// what is left stays in the disk buffer for the next run).
    /// </summary>
    Task<bool> DrainAsync(TimeSpan bound, CancellationToken cancellationToken);
}
