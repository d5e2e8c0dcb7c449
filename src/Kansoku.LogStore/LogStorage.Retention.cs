namespace Kansoku.LogStore;

internal sealed partial class LogStorage
{
    /// <summary>
    /// Drops whole days: those entirely older than <see cref="LogStorageOptions.RetentionPeriod"/>, then the oldest while
    /// parts and WAL take more than <see cref="LogStorageOptions.RetentionMaxBytes"/> (never the newest day). Readers that
    /// hold a dropped part keep reading it (the file is unlinked, not closed). Streams left without data are forgotten.
    /// </summary>
    internal void ApplyRetention()
    {
        var dropped = new List<Partition>();
        lock (_lock)
        {
            if (_options.RetentionPeriod is { } retention)
            {
                var firstKeptDay = Partition.DayOf(NowUnixNano() - (retention.Ticks * 100));
                foreach (var partition in _partitions.Values)
                {
                    if (partition.Day < firstKeptDay)
                    {
                        dropped.Add(partition);
                    }
                }
                foreach (var partition in dropped)
                {
                    DropLocked(partition);
                }
            }
            if (_options.RetentionMaxBytes is { } maxBytes)
            {
                var total = _wal.TotalBytes;
                foreach (var partition in _partitions.Values)
                {
                    total += partition.PartBytes;
                }
                while (total > maxBytes && _partitions.Count > 1)
                {
                    Partition oldest = null!;
                    foreach (var partition in _partitions.Values)
                    {
                        oldest = partition;
                        break;
                    }
                    total -= oldest.PartBytes;
                    dropped.Add(oldest);
                    DropLocked(oldest);
                }
            }
            if (dropped.Count > 0)
            {
                PruneStreamsLocked();
            }
        }
        foreach (var partition in dropped)
        {
            _log($"log store: retention dropped {partition.Directory}");
            try
            {
                if (Directory.Exists(partition.Directory))
                {
                    Directory.Delete(partition.Directory, recursive: true);
                }
            }
            catch (IOException e)
            {
                _log($"log store: could not delete {partition.Directory}: {e.Message}");
            }
        }
    }

    private void DropLocked(Partition partition)
    {
        _partitions.Remove(partition.Day);
        partition.Dropped = true;
        foreach (var head in HeadsOf(partition))
        {
            _headBytes -= head.Bytes;
            head.Release();
        }
        foreach (var part in partition.Parts)
        {
            part.Retire(delete: false);
        }
        partition.Parts.Clear();
    }

    private void PruneStreamsLocked()
    {
        var live = new HashSet<int>();
        foreach (var partition in _partitions.Values)
        {
            foreach (var part in partition.Parts)
            {
                foreach (var stream in part.Streams)
                {
                    live.Add(stream.StreamId);
                }
            }
            foreach (var head in HeadsOf(partition))
            {
                foreach (var stream in head.Streams)
                {
                    live.Add(stream.StreamId);
                }
            }
        }
        _registry.Prune(live.Contains);
    }
}
