namespace Kansoku.Agent.Outputs.Batching;

/// <summary>
/// The wire side of an output: turns one NDJSON batch into a request and reports what happened. Called by one
/// sender at a time. Exceptions (network errors, timeouts) are treated as retryable failures of the whole batch.
/// </summary>
internal interface ILogSink : IAsyncDisposable
{
    ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> ndjson, int count, CancellationToken cancellationToken);
}
