using Kansoku.LogStore.Binary;
using Kansoku.LogStore.Wal;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore;

internal sealed partial class LogStorage
{
    /// <summary>A write group is cut here even if more appends are queued, so one fsync never waits on a huge write.</summary>
    private const long MaxGroupBytes = 16L << 20;

    /// <summary>
    /// Encodes the entries into a WAL record on the caller's thread, queues it for the WAL writer and completes once the
    /// record is written and (with <see cref="WalSyncMode.Always"/>) fsynced, and the entries are in the heads (so a
    /// query after the acknowledgement sees them). Entries outside the retention window (older than the oldest kept day,
    /// or more than MaxFutureSkew ahead) are dropped and counted, not refused.
    /// </summary>
    public async ValueTask AppendAsync(IReadOnlyList<LogStreamBatch> streams, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var (minTimestamp, maxTimestamp) = AcceptedWindow();
        long entries = 0;
        long lineBytes = 0;
        long tooOld = 0;
        long tooNew = 0;
        foreach (var stream in streams)
        {
            ArgumentNullException.ThrowIfNull(stream.Labels);
            foreach (var entry in stream.Entries)
            {
                if (entry.Line.Length > _options.MaxLineBytes)
                {
                    throw new ArgumentException(
                        $"line of {entry.Line.Length} bytes in stream {stream.Labels} exceeds the limit of {_options.MaxLineBytes}");
                }
                if (entry.TimestampUnixNano < minTimestamp)
                {
                    tooOld++;
                }
                else if (entry.TimestampUnixNano > maxTimestamp)
                {
                    tooNew++;
                }
                else
                {
                    entries++;
                    lineBytes += entry.Line.Length;
                }
            }
        }
        Counters.AddDropped(tooOld, tooNew);
        if (entries == 0)
        {
            return;
        }
        if (Volatile.Read(ref _headBytes) > _options.MaxHeadBytes)
        {
            SignalFlush();
            if (!await WaitForRoomAsync(() => Volatile.Read(ref _headBytes) <= _options.MaxHeadBytes, cancellationToken))
            {
                throw Overloaded("in-memory entries are over the limit until a flush catches up");
            }
        }

        var record = new ByteBuffer((int)Math.Min(lineBytes + (entries * 8) + 1024, 1 << 30));
        WriteRequest request;
        try
        {
            WalRecord.Encode(record, streams, minTimestamp, maxTimestamp);
            if (record.Length > _options.MaxPendingBytes)
            {
                throw new ArgumentException($"an append of {record.Length} bytes exceeds the write queue of {_options.MaxPendingBytes} bytes");
            }
            request = WriteRequest.Append(streams, record, minTimestamp, maxTimestamp);
        }
        catch
        {
            record.Dispose();
            throw;
        }
        while (Interlocked.Add(ref _pendingBytes, request.Bytes) > _options.MaxPendingBytes)
        {
            Interlocked.Add(ref _pendingBytes, -request.Bytes);
            if (!await WaitForRoomAsync(() => Volatile.Read(ref _pendingBytes) + request.Bytes <= _options.MaxPendingBytes, cancellationToken))
            {
                record.Dispose();
                throw Overloaded("the write queue is full");
            }
        }
        if (!_queue.Writer.TryWrite(request))
        {
            Interlocked.Add(ref _pendingBytes, -request.Bytes);
            record.Dispose();
            throw new ObjectDisposedException(nameof(LogStorage));
        }
        // Once queued the write happens whatever the caller does; cancelling only stops the wait.
        await request.Task.WaitAsync(cancellationToken);
        Counters.AddAppended(entries, lineBytes);
    }

    /// <summary>Timestamps an append accepts now: from the start of the oldest day retention keeps to now + MaxFutureSkew.</summary>
    private (long Min, long Max) AcceptedWindow()
    {
        var now = NowUnixNano();
        var min = _options.RetentionPeriod is { } retention
            ? Partition.DayOf(now - (retention.Ticks * 100)) * Partition.NanosPerDay
            : long.MinValue;
        var max = now > long.MaxValue - (_options.MaxFutureSkew.Ticks * 100) ? long.MaxValue : now + (_options.MaxFutureSkew.Ticks * 100);
        return (min, max);
    }

    /// <summary>
    /// Waits up to <see cref="LogStorageOptions.OverloadWait"/> for <paramref name="hasRoom"/>, woken whenever the WAL
    /// writer or a flush frees memory: a burst then slows the clients down instead of failing their requests.
    /// </summary>
    private async ValueTask<bool> WaitForRoomAsync(Func<bool> hasRoom, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        Counters.WaitedForRoom();
        while (true)
        {
            var freed = _roomFreed.Current;
            if (hasRoom())
            {
                return true;
            }
            var left = _options.OverloadWait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || Volatile.Read(ref _disposed) != 0)
            {
                return false;
            }
            try
            {
                await freed.WaitAsync(left, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return hasRoom();
            }
        }
    }

    private LogStoreOverloadedException Overloaded(string why)
    {
        Counters.Overloaded();
        return new LogStoreOverloadedException($"log store overloaded: {why}", _options.OverloadRetryAfter);
    }

    /// <summary>
    /// The single WAL writer: takes every queued append (up to <see cref="MaxGroupBytes"/>), writes them with one vectored
    /// write, fsyncs once, inserts them into the heads and completes them: appends that queue while an fsync runs share
    /// the next one (group commit).
    /// </summary>
    private async Task WriterLoopAsync()
    {
        var reader = _queue.Reader;
        var group = new List<WriteRequest>();
        var records = new List<ReadOnlyMemory<byte>>();
        while (await reader.WaitToReadAsync())
        {
            if (_options.WalSync == WalSyncMode.Always && _options.GroupCommitWindow > TimeSpan.Zero)
            {
                await Task.Delay(_options.GroupCommitWindow, _options.TimeProvider);
            }
            group.Clear();
            records.Clear();
            long bytes = 0;
            WriteRequest? cut = null;
            while (bytes < MaxGroupBytes && reader.TryRead(out var request))
            {
                if (request.IsCut)
                {
                    cut = request;
                    break;
                }
                group.Add(request);
                records.Add(request.Record!.Memory);
                bytes += request.Bytes;
            }
            if (group.Count > 0)
            {
                Commit(group, records, bytes);
            }
            if (cut is not null)
            {
                try
                {
                    cut.Complete(CutAndFreeze());
                }
                catch (Exception e)
                {
                    cut.Fail(e);
                }
            }
        }
    }

    private void Commit(List<WriteRequest> group, List<ReadOnlyMemory<byte>> records, long bytes)
    {
        try
        {
            _wal.Append(records, bytes);
            Counters.WalWritten();
            if (_options.WalSync == WalSyncMode.Always)
            {
                _wal.Sync();
                Counters.WalSynced();
            }
            lock (_lock)
            {
                foreach (var request in group)
                {
                    InsertLocked(request.Streams, request.MinTimestamp, request.MaxTimestamp);
                }
            }
        }
        catch (Exception e)
        {
            foreach (var request in group)
            {
                Interlocked.Add(ref _pendingBytes, -request.Bytes);
                request.Fail(new IOException($"log store: write-ahead log write failed: {e.Message}", e));
            }
            return;
        }
        foreach (var request in group)
        {
            Interlocked.Add(ref _pendingBytes, -request.Bytes);
            request.Complete(0);
        }
        _roomFreed.Pulse();
        if (Volatile.Read(ref _headBytes) >= _options.FlushHeadBytes)
        {
            SignalFlush();
        }
    }

    /// <summary>Adds the entries in [min, max] to their day's active head. Must hold <see cref="_lock"/>.</summary>
    private void InsertLocked(IReadOnlyList<LogStreamBatch> streams, long minTimestamp, long maxTimestamp)
    {
        Partition? partition = null;
        foreach (var stream in streams)
        {
            var id = -1;
            foreach (var entry in stream.Entries)
            {
                var timestamp = entry.TimestampUnixNano;
                if (timestamp < minTimestamp || timestamp > maxTimestamp)
                {
                    continue;
                }
                if (id < 0)
                {
                    id = _registry.GetOrAdd(stream.Labels);
                }
                var day = Partition.DayOf(timestamp);
                if (partition is null || partition.Day != day)
                {
                    partition = GetOrCreatePartitionLocked(day);
                }
                var before = partition.Active.Bytes;
                partition.Active.Append(id, stream.Labels, timestamp, entry.Line.Span);
                _headBytes += partition.Active.Bytes - before;
            }
        }
    }

    /// <summary>Replays one WAL record at open (before the writer starts, so no lock contention).</summary>
    private void Replay(ReadOnlyMemory<byte> payload)
    {
        List<LogStreamBatch> streams;
        try
        {
            streams = WalRecord.Decode(payload);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            _log($"log store: WAL record that passed its CRC does not decode ({e.Message}); skipped");
            return;
        }
        // The future bound only moves forward, so whatever was accepted then is accepted now; the past bound drops what
        // retention has passed meanwhile.
        var (minTimestamp, _) = AcceptedWindow();
        lock (_lock)
        {
            InsertLocked(streams, minTimestamp, long.MaxValue);
        }
    }

    /// <summary>
    /// Freezes every partition's active head and starts a new WAL segment; returns its number. Everything in the frozen
    /// heads is in older segments. Called on the writer's thread (or after it stopped), so no append is between the two.
    /// </summary>
    private int CutAndFreeze()
    {
        lock (_lock)
        {
            foreach (var partition in _partitions.Values)
            {
                if (partition.Active.Entries > 0)
                {
                    partition.Frozen.Add(partition.Active);
                    partition.Active = NewHead();
                }
            }
        }
        return _wal.Cut();
    }

    private void SignalFlush()
    {
        try
        {
            if (_flushSignal.CurrentCount == 0)
            {
                _flushSignal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Closing: the final flush takes care of it.
        }
    }
}
