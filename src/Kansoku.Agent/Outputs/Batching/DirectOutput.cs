using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Outputs.Batching;

/// <summary>
/// An unbuffered output (stdout and file by default): <see cref="AcceptAsync"/> delivers the batch itself, retrying
/// on failure, so a batch is durable exactly when its write completed. One batch at a time keeps lines in order.
/// </summary>
internal sealed class DirectOutput : IOutput
{
    private readonly ILogSink _sink;
    private readonly RetryingSender _sender;
    private readonly ComponentCounters _counters;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DirectOutput(string name, ILogSink sink, RetryOptions retry, ComponentCounters counters, AgentLog log, TimeProvider time)
    {
        Name = name;
        _sink = sink;
        _counters = counters;
        _sender = new RetryingSender(name, sink, retry, counters, log, time);
    }

    public string Name { get; }

    public async ValueTask AcceptAsync(ReadOnlyMemory<byte> ndjson, int recordCount, CancellationToken cancellationToken)
    {
        _counters.AddRead(recordCount, ndjson.Length);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _sender.SendAsync(ndjson, recordCount, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> DrainAsync(TimeSpan bound, CancellationToken cancellationToken) => Task.FromResult(true);

    public async ValueTask DisposeAsync()
    {
        await _sink.DisposeAsync();
        _gate.Dispose();
    }
}
