using System.Diagnostics;
using System.Threading.Channels;
using Google.Protobuf;
using Kansoku.Core.Labels;
using Kansoku.RemoteWrite.Prompb;

namespace Kansoku.RemoteWrite.Sender;

/// <summary>
/// The queue of one remote write endpoint (Prometheus' QueueManager, storage/remote/queue_manager.go). Committed samples
/// come in through <see cref="Enqueue"/>; shards, each with a bounded queue, batch them into WriteRequests of at most
/// max_samples_per_send, sent when full or batch_send_deadline after their first sample. A batch the endpoint could not
/// take for now (network error, timeout, 5xx, 429) is sent again after a backoff that doubles from min_backoff to
/// max_backoff, or after the server's Retry-After; one it refused (other 4xx) is dropped. Every shard_update interval the
/// number of shards follows the throughput (<see cref="ShardPlanner"/>) within min_shards..max_shards.
/// Unlike Prometheus, which reads its WAL and so only lags, samples that find their shard full are dropped and counted:
/// the queue must never hold back the store's commits.
/// Thread-safe: any number of appenders enqueue while the shards send.
/// </summary>
internal sealed class RemoteWriteQueue : IAsyncDisposable
{
    private readonly RemoteWriteOptions _options;
    private readonly TimeProvider _time;
    private readonly RemoteWriteClient _client;
    private readonly SeriesTargetCache _targets;
    private readonly ShardPlanner _planner;
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _stopResharding = new();
    private readonly Lock _lock = new();

    /// <summary>Replaced whole on a reshard (under <see cref="_lock"/>); enqueuers read it without the lock.</summary>
    private ShardSet _shards = ShardSet.None;

    private Task _resharding = Task.CompletedTask;
    private bool _started;
    private bool _stopped;

    private long _samplesIn;
    private long _samplesSent;
    private long _samplesFailed;
    private long _samplesRetried;
    private long _samplesDropped;
    private long _samplesRelabelledAway;
    private long _bytesSent;
    private long _highestSentTimestampMs;
    private long _sendTicks;
    private string? _lastError;

    public RemoteWriteQueue(RemoteWriteOptions options, TimeProvider? time = null)
    {
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _client = new RemoteWriteClient(options, _time);
        _targets = new SeriesTargetCache(stored => SeriesTarget.For(stored, options.ExternalLabels, options.WriteRelabel));
        _planner = new ShardPlanner(options.Queue.MinShards, options.Queue.MaxShards, options.Queue.ShardUpdateInterval);
    }

    public string Name => _options.DisplayName;

    /// <summary>Samples accepted into a shard.</summary>
    public long SamplesIn => Interlocked.Read(ref _samplesIn);

    /// <summary>Samples the endpoint answered 2xx for.</summary>
    public long SamplesSent => Interlocked.Read(ref _samplesSent);

    /// <summary>Samples given up on: refused by the endpoint (4xx), or still unsent when stopping ran out of time.</summary>
    public long SamplesFailed => Interlocked.Read(ref _samplesFailed);

    /// <summary>Samples sent again after a recoverable failure, once per retry.</summary>
    public long SamplesRetried => Interlocked.Read(ref _samplesRetried);

    /// <summary>Samples not queued: their shard was full, or the queue was not running.</summary>
    public long SamplesDropped => Interlocked.Read(ref _samplesDropped);

    /// <summary>Samples of series that write relabelling drops.</summary>
    public long SamplesRelabelledAway => Interlocked.Read(ref _samplesRelabelledAway);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Samples waiting in the shards now.</summary>
    public int PendingSamples => Volatile.Read(ref _shards).Pending;

    public int Shards => Volatile.Read(ref _shards).Count;

    /// <summary>The shard count the last update asked for, before rounding and bounds.</summary>
    public double DesiredShards => _planner.Desired;

    /// <summary>The newest timestamp the endpoint has accepted, in Unix milliseconds (0 before the first).</summary>
    public long HighestSentTimestampMs => Interlocked.Read(ref _highestSentTimestampMs);

    /// <summary>The last failure to send, for status pages; null when none yet.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    public void Start()
    {
        lock (_lock)
        {
            if (_started)
            {
                throw new InvalidOperationException($"remote_write {Name} has already been started");
            }
            _started = true;
            _shards = StartShards(_options.Queue.MinShards, Task.CompletedTask);
            _resharding = ReshardLoopAsync(_stopResharding.Token);
        }
    }

    /// <summary>Queues a committed sample of the stored series <paramref name="labels"/>; never blocks.</summary>
    public void Enqueue(LabelSet labels, long timestampMs, double value)
    {
        var target = _targets.Get(labels);
        if (target.Labels is null)
        {
            Interlocked.Increment(ref _samplesRelabelledAway);
            return;
        }
        var sample = new PendingSample(target, timestampMs, value);
        while (true)
        {
            var shards = Volatile.Read(ref _shards);
            if (shards.TryEnqueue(sample, target.Labels.Hash))
            {
                Interlocked.Increment(ref _samplesIn);
                return;
            }
            // A reshard completes the old set before it is replaced: try the new one rather than drop the sample.
            if (ReferenceEquals(shards, Volatile.Read(ref _shards)))
            {
                Interlocked.Increment(ref _samplesDropped);
                return;
            }
        }
    }

    /// <summary>Changes the number of shards; the new ones start sending once the old ones have sent what they hold.</summary>
    internal void Reshard(int count)
    {
        lock (_lock)
        {
            if (_stopped || !_started || count == _shards.Count)
            {
                return;
            }
            var old = _shards;
            _shards = StartShards(count, old.Drained);
            old.Complete();
        }
    }

    /// <summary>
    /// Stops taking samples and sends what is queued, for at most flush_deadline; what is still unsent then is counted
    /// failed.
    /// </summary>
    public async Task StopAsync()
    {
        ShardSet last;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            last = _shards;
            last.Complete();
        }
        await _stopResharding.CancelAsync().ConfigureAwait(false);
        await _resharding.ConfigureAwait(false);
        var deadline = Task.Delay(_options.Queue.FlushDeadline, _time);
        if (await Task.WhenAny(last.Drained, deadline).ConfigureAwait(false) != last.Drained)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }
        await last.Drained.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _client.Dispose();
        _abort.Dispose();
        _stopResharding.Dispose();
    }

    private ShardSet StartShards(int count, Task previous)
        => ShardSet.Start(count, _options.Queue.Capacity, previous, queue => RunShardAsync(queue, _abort.Token));

    private async Task ReshardLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.Queue.ShardUpdateInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var next = _planner.Next(Shards, SamplesIn, SamplesSent, TimeSpan.FromTicks(Interlocked.Read(ref _sendTicks)), PendingSamples);
                Reshard(next);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RunShardAsync(ChannelReader<PendingSample> queue, CancellationToken abort)
    {
        var max = _options.Queue.MaxSamplesPerSend;
        var batch = new List<PendingSample>(max);
        try
        {
            while (await queue.WaitToReadAsync(abort).ConfigureAwait(false))
            {
                // The deadline runs from the batch's first sample.
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(abort);
                deadline.CancelAfter(_options.Queue.BatchSendDeadline);
                while (batch.Count < max)
                {
                    if (queue.TryRead(out var sample))
                    {
                        batch.Add(sample);
                        continue;
                    }
                    try
                    {
                        if (!await queue.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (OperationCanceledException) when (!abort.IsCancellationRequested)
                    {
                        break;
                    }
                }
                await SendAsync(batch, abort).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            var unsent = batch.Count;
            while (queue.TryRead(out _))
            {
                unsent++;
            }
            Interlocked.Add(ref _samplesFailed, unsent);
        }
    }

    /// <summary>Sends one batch until it is accepted or refused (sendWriteRequestWithBackoff).</summary>
    private async Task SendAsync(List<PendingSample> batch, CancellationToken abort)
    {
        var (compressed, highest) = Encode(batch);
        var backoff = _options.Queue.MinBackoff;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var outcome = await _client.SendAsync(compressed, abort).ConfigureAwait(false);
            Interlocked.Add(ref _sendTicks, Stopwatch.GetElapsedTime(started).Ticks);
            switch (outcome.Status)
            {
                case SendStatus.Sent:
                    Interlocked.Add(ref _samplesSent, batch.Count);
                    Interlocked.Add(ref _bytesSent, compressed.Length);
                    RaiseHighestSent(highest);
                    return;
                case SendStatus.Unrecoverable:
                    Interlocked.Add(ref _samplesFailed, batch.Count);
                    Volatile.Write(ref _lastError, outcome.Error);
                    return;
            }
            Volatile.Write(ref _lastError, outcome.Error);
            var wait = outcome.RetryAfter ?? backoff;
            await Task.Delay(wait, _time, abort).ConfigureAwait(false);
            Interlocked.Add(ref _samplesRetried, batch.Count);
            backoff = wait * 2 > _options.Queue.MaxBackoff ? _options.Queue.MaxBackoff : wait * 2;
        }
    }

    /// <summary>One TimeSeries per sample, as Prometheus sends them; the label messages are the series' shared ones.</summary>
    private static (byte[] Compressed, long HighestTimestampMs) Encode(List<PendingSample> batch)
    {
        var request = new WriteRequest();
        var highest = long.MinValue;
        foreach (var sample in batch)
        {
            var series = new TimeSeries();
            series.Labels.Add(sample.Series.ProtoLabels);
            series.Samples.Add(new Sample { Timestamp = sample.TimestampMs, Value = sample.Value });
            request.Timeseries.Add(series);
            highest = Math.Max(highest, sample.TimestampMs);
        }
        return (Snappier.Snappy.CompressToArray(request.ToByteArray()), highest);
    }

    private void RaiseHighestSent(long timestampMs)
    {
        var current = Interlocked.Read(ref _highestSentTimestampMs);
        while (timestampMs > current)
        {
            var seen = Interlocked.CompareExchange(ref _highestSentTimestampMs, timestampMs, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
