using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Outputs.Batching;

/// <summary>
/// Delivers one batch through a sink, retrying with <see cref="Backoff"/> until every record is delivered or
/// dropped for a stated reason, and keeps the output's counters. Shared by buffered and unbuffered outputs.
/// </summary>
internal sealed class RetryingSender
{
    private readonly string _name;
    private readonly ILogSink _sink;
    private readonly RetryOptions _options;
    private readonly Backoff _backoff;
    private readonly ComponentCounters _counters;
    private readonly AgentLog _log;
    private readonly TimeProvider _time;

    public RetryingSender(string name, ILogSink sink, RetryOptions options, ComponentCounters counters, AgentLog log, TimeProvider time)
    {
        _name = name;
        _sink = sink;
        _options = options;
        _backoff = new Backoff(options.BackoffBase, options.BackoffCap);
        _counters = counters;
        _log = log;
        _time = time;
    }

    /// <summary>
    /// Returns once the batch is settled. Cancellation throws and leaves the batch undelivered (a buffered output
    /// keeps it on disk for the next run).
    /// </summary>
    public async Task SendAsync(ReadOnlyMemory<byte> ndjson, int count, CancellationToken cancellationToken)
    {
        var current = ndjson;
        var currentCount = count;
        for (var attempt = 0; ; attempt++)
        {
            SendResult result;
            try
            {
                result = await _sink.SendAsync(current, currentCount, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                result = SendResult.RetryAll($"{ex.GetType().Name}: {ex.Message}");
            }

            if (result.Dropped > 0)
            {
                _counters.AddDropped(result.Dropped);
                _log.Warn($"[output:{_name}] {result.Dropped} records refused by the destination and dropped: {result.Reason}");
            }
            switch (result.Outcome)
            {
                case SendOutcome.Done:
                    _counters.AddEmitted(result.Delivered, current.Length);
                    return;
                case SendOutcome.Rejected:
                    _counters.AddFailedBatch();
                    _counters.AddDropped(currentCount);
                    _log.Error($"[output:{_name}] batch of {currentCount} records rejected, not retryable, dropped: {result.Reason}");
                    return;
                default:
                    if (result.Remaining is { } remaining)
                    {
                        _counters.AddEmitted(result.Delivered, current.Length - remaining.Length);
                        current = remaining;
                        currentCount = result.RemainingCount;
                    }
                    if (currentCount == 0)
                    {
                        return;
                    }
                    if (_options.RetryLimit is { } limit && attempt >= limit)
                    {
                        _counters.AddFailedBatch();
                        _counters.AddDropped(currentCount);
                        _log.Error($"[output:{_name}] {currentCount} records dropped after {attempt + 1} attempts " +
                            $"(Retry_Limit {limit}): {result.Reason}");
                        return;
                    }
                    _counters.AddRetry();
                    var delay = _backoff.Delay(attempt, result.RetryAfter);
                    _log.Warn($"[output:{_name}] send of {currentCount} records failed ({result.Reason}); " +
                        $"retry {attempt + 1} in {delay.TotalMilliseconds:0} ms");
                    await Task.Delay(delay, _time, cancellationToken);
                    break;
            }
        }
    }
}
