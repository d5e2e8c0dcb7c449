using Kansoku.Agent.Outputs.Buffering;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Outputs.Batching;

/// <summary>
/// An output with a disk buffer: <see cref="AcceptAsync"/> appends (fsynced) and returns; a sender loop reads the
/// oldest batches, merged up to <c>maxBatchBytes</c>, and delivers them through the sink with retries. The buffer
/// cursor advances only after the sink settled a batch.
/// </summary>
internal sealed class BufferedOutput : IOutput
{
    private readonly DiskBuffer _buffer;
    private readonly ILogSink _sink;
    private readonly RetryingSender _sender;
    private readonly int _maxBatchBytes;
    private readonly ComponentCounters _counters;
    private readonly AgentLog _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public BufferedOutput(string name, DiskBuffer buffer, ILogSink sink, RetryOptions retry, int maxBatchBytes,
        ComponentCounters counters, AgentLog log, TimeProvider time)
    {
        Name = name;
        _buffer = buffer;
        _sink = sink;
        _maxBatchBytes = maxBatchBytes;
        _counters = counters;
        _log = log;
        _time = time;
        _sender = new RetryingSender(name, sink, retry, counters, log, time);
    }

    public string Name { get; }

    public async ValueTask AcceptAsync(ReadOnlyMemory<byte> ndjson, int recordCount, CancellationToken cancellationToken)
    {
        _counters.AddRead(recordCount, ndjson.Length);
        await _buffer.AppendAsync(ndjson, recordCount, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException($"output {Name} already started");
        }
        var token = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, cancellationToken);
        _loop = Task.Run(() => SendLoopAsync(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task<bool> DrainAsync(TimeSpan bound, CancellationToken cancellationToken) =>
        _buffer.WaitUntilEmptyAsync(bound, _time, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _buffer.Dispose();
        await _sink.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task SendLoopAsync(CancellationTokenSource token)
    {
        using (token)
        {
            try
            {
                while (true)
                {
                    var batch = await _buffer.ReadAsync(_maxBatchBytes, token.Token);
                    if (batch.RecordCount > 0)
                    {
                        await _sender.SendAsync(batch.Ndjson, batch.RecordCount, token.Token);
                    }
                    _buffer.Acknowledge();
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopping: the batch in flight, if any, stays in the buffer for the next run.
            }
            catch (Exception ex)
            {
                _log.Error($"[output:{Name}] sender stopped: {ex}");
            }
        }
    }
}
