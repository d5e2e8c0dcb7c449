using Kansoku.Core.Labels;
using Kansoku.LogStore.Head;
using Kansoku.LogStore.Index;
using Kansoku.LogStore.Parts;
using Kansoku.LogStore.Query;

namespace Kansoku.LogStore;

internal sealed partial class LogStorage
{
    /// <summary>
    /// Writes the heads to parts: the WAL writer cuts the WAL and freezes the heads between two write groups, every
    /// frozen head becomes a part, and once all are written the WAL segments before the cut are deleted. A head whose
    /// part fails stays frozen (still queried, still in the WAL) and is retried by the next flush.
    /// </summary>
    internal async Task FlushAsync()
    {
        await _flushGate.WaitAsync();
        try
        {
            bool anything;
            lock (_lock)
            {
                anything = false;
                foreach (var partition in _partitions.Values)
                {
                    anything |= partition.Active.Entries > 0 || partition.Frozen.Count > 0;
                }
            }
            if (!anything)
            {
                return;
            }
            var cut = WriteRequest.Cut();
            if (!_queue.Writer.TryWrite(cut))
            {
                return;
            }
            var segment = await cut.Task;
            if (PersistFrozen())
            {
                _wal.DeleteBefore(segment);
            }
            Counters.Flushed();
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>Writes every frozen head to a part, oldest first per partition; false if any failed.</summary>
    private bool PersistFrozen()
    {
        var work = new List<(Partition Partition, PartitionHead Head)>();
        lock (_lock)
        {
            foreach (var partition in _partitions.Values)
            {
                foreach (var head in partition.Frozen)
                {
                    // The partition's reference could go (retention) while the head is written: hold one of our own.
                    head.TryAcquire();
                    work.Add((partition, head));
                }
            }
        }
        var allWritten = true;
        Partition? failed = null;
        foreach (var (partition, head) in work)
        {
            if (partition == failed)
            {
                // Later heads wait for the failed one, so parts keep the heads' order.
                head.Release();
                continue;
            }
            try
            {
                var part = WriteHead(partition, head);
                lock (_lock)
                {
                    if (partition.Dropped)
                    {
                        part?.Retire(delete: true);
                    }
                    else
                    {
                        if (part is not null)
                        {
                            partition.Parts.Add(part);
                        }
                        partition.Frozen.Remove(head);
                        _headBytes -= head.Bytes;
                        head.Release();
                    }
                }
                _roomFreed.Pulse();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                allWritten = false;
                failed = partition;
                _log($"log store: flushing {partition.Directory} failed, entries stay in memory and the WAL: {e.Message}");
            }
            finally
            {
                head.Release();
            }
        }
        return allWritten;
    }

    private Part? WriteHead(Partition partition, PartitionHead head)
    {
        var streams = new List<HeadStream>(head.Streams);
        if (streams.Count == 0)
        {
            return null;
        }
        streams.Sort((a, b) => LabelSetOrder.ByHash(a.Labels, b.Labels));
        var sequence = Interlocked.Increment(ref _partSequence);
        return WritePart(partition, PartFile.Name(sequence, sequence), _options.FlushCompressionLevel,
            writer =>
            {
                foreach (var stream in streams)
                {
                    var sources = new PartitionSources();
                    sources.Heads.Add(stream.Snapshot());
                    Copy(writer, stream.Labels, sources);
                }
            });
    }

    /// <summary>Writes one stream's sources, merged and deduplicated, into <paramref name="writer"/>.</summary>
    private void Copy(PartWriter writer, LabelSet labels, PartitionSources sources)
    {
        writer.BeginStream(labels);
        using (var cursor = sources.Open(QueryRange.All, Counters, ReportCorrupt))
        {
            while (cursor.MoveNext())
            {
                writer.Add(cursor.Timestamp, cursor.Line);
            }
        }
        writer.EndStream();
    }

    /// <summary>Writes a part file durably (temporary file, fsync, rename, fsync directory) and opens it.</summary>
    private Part WritePart(Partition partition, string name, int compressionLevel, Action<PartWriter> write)
    {
        if (!Directory.Exists(partition.Directory))
        {
            Directory.CreateDirectory(partition.Directory);
            FileSystem.FsyncDirectory(_partitionsDirectory);
        }
        var path = Path.Combine(partition.Directory, name);
        var temporary = path + ".tmp";
        using (var writer = new PartWriter(temporary, compressionLevel, _options.BlockRawBytes, _options.BlockMaxEntries, _options.JsonFieldColumns))
        {
            write(writer);
            writer.Complete();
        }
        FileSystem.CommitFile(temporary, path);
        return Part.Open(path, _registry);
    }

    private async Task MaintenanceLoopAsync(CancellationToken stopping)
    {
        var time = _options.TimeProvider;
        var nextFlush = Deadline(time, _options.FlushInterval);
        var nextRetention = Deadline(time, TimeSpan.Zero);
        var nextSync = Deadline(time, _options.WalSync == WalSyncMode.Periodic ? _options.WalSyncInterval : Timeout.InfiniteTimeSpan);
        while (!stopping.IsCancellationRequested)
        {
            var now = time.GetTimestamp();
            var wake = Math.Min(nextFlush, Math.Min(nextRetention, nextSync));
            var signalled = false;
            try
            {
                var delay = wake == long.MaxValue ? Timeout.InfiniteTimeSpan : time.GetElapsedTime(now, Math.Max(now, wake));
                signalled = await _flushSignal.WaitAsync(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                now = time.GetTimestamp();
                if (now >= nextSync)
                {
                    _wal.Sync();
                    Counters.WalSynced();
                    nextSync = Deadline(time, _options.WalSyncInterval);
                }
                if (signalled || now >= nextFlush)
                {
                    await FlushAsync();
                    nextFlush = Deadline(time, _options.FlushInterval);
                }
                if (now >= nextRetention)
                {
                    ApplyRetention();
                    nextRetention = Deadline(time, _options.RetentionCheckInterval);
                }
            }
            catch (Exception e)
            {
                _log($"log store: background maintenance failed: {e}");
            }
        }
    }

    /// <summary>A <see cref="TimeProvider.GetTimestamp"/> value <paramref name="after"/> from now; long.MaxValue for never.</summary>
    private static long Deadline(TimeProvider time, TimeSpan after) =>
        after == Timeout.InfiniteTimeSpan ? long.MaxValue : time.GetTimestamp() + (long)(after.TotalSeconds * time.TimestampFrequency);
}
