using Kansoku.Core.Labels;
using Kansoku.Tsdb.Blocks;
using Kansoku.Tsdb.Chunks;
using Kansoku.Tsdb.Head;
using Kansoku.Tsdb.Wal;

namespace Kansoku.Tsdb;

public sealed partial class Tsdb
{
    /// <summary>One compaction at a time (the timer, a forced test call, dispose).</summary>
    private readonly Lock _compactionLock = new();

    /// <summary>
    /// What the background task does each tick: persist the head's oldest block range while the head spans more than
    /// 1.5 ranges (as Prometheus), merge blocks (overlapping ones, then adjacent ones into 3x larger ranges), and apply
    /// retention.
    /// </summary>
    internal void Compact()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Compact(persistWholeHead: false);
    }

    /// <summary>For tests and shutdown tooling: also persists the head's newest range, leaving the head empty.</summary>
    internal void CompactAll()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Compact(persistWholeHead: true);
    }

    /// <summary>The background task's entry: dispose waits for it to return before closing the WAL and blocks.</summary>
    private void Compact(bool persistWholeHead)
    {
        lock (_compactionLock)
        {
            CompactHead(persistWholeHead);
            while (BlockCompaction.Plan(Blocks, BlockCompaction.Ranges(_options.BlockDurationMs, _options.RetentionTime)) is { } plan)
            {
                MergeBlocks(plan);
            }
            ApplyRetention();
        }
    }

    private void CompactHead(bool persistWholeHead)
    {
        var range = _options.BlockDurationMs;
        long? truncatedTo = null;
        while (!_head.IsEmpty && (persistWholeHead || _head.MaxTime - _head.MinTime > range / 2 * 3))
        {
            var start = TimeRanges.Floor(_head.MinTime, range);
            var end = start + range;
            PersistHeadRange(start, end);
            _head.Truncate(end);
            truncatedTo = end;
        }
        if (truncatedTo is { } minTime)
        {
            WalCheckpoint.Create(_walDirectory, _wal, _head, minTime);
        }
    }

    private void PersistHeadRange(long start, long end)
    {
        // Refuse stragglers for this range from now on; before the snapshot, so none can slip in after it.
        _head.RaiseMinValidTime(end);
        var series = new List<SeriesChunks>();
        foreach (var one in _head.AllSeries())
        {
            HeadChunks? chunks;
            lock (one)
            {
                chunks = one.Snapshot(start, end - 1);
            }
            if (chunks is not null)
            {
                series.Add(new SeriesChunks(one.Labels, chunks));
            }
        }
        series.Sort((a, b) => LabelSetComparer.Instance.Compare(a.Labels, b.Labels));
        var symbols = BlockWriter.Symbols(LabelsOf(series));
        var meta = BlockWriter.Write(_options.DataDirectory, _time, start, end, 1, null, symbols, BlockChunked(series));
        if (meta is not null)
        {
            AddBlock(Path.Combine(_options.DataDirectory, meta.Id));
        }
    }

    private void MergeBlocks(List<Block> sources)
    {
        var meta = BlockCompaction.Merge(_options.DataDirectory, _time, sources);
        if (meta is not null)
        {
            AddBlock(Path.Combine(_options.DataDirectory, meta.Id));
        }
        DeleteBlocks(sources);
    }

    private void ApplyRetention()
    {
        var blocks = Blocks;
        var doomed = new List<Block>();
        if (_options.RetentionTime > TimeSpan.Zero)
        {
            var newest = Math.Max(_head.MaxTime, NewestBlockMaxTime);
            var cutoff = newest - (long)_options.RetentionTime.TotalMilliseconds;
            foreach (var block in blocks)
            {
                if (block.Meta.MaxTime <= cutoff)
                {
                    doomed.Add(block);
                }
            }
        }
        if (_options.RetentionBytes > 0)
        {
            var total = WalBytes();
            foreach (var block in blocks)
            {
                if (!doomed.Contains(block))
                {
                    total += block.SizeBytes;
                }
            }
            // Oldest first (blocks are sorted by MinTime).
            foreach (var block in blocks)
            {
                if (total <= _options.RetentionBytes)
                {
                    break;
                }
                if (!doomed.Contains(block))
                {
                    doomed.Add(block);
                    total -= block.SizeBytes;
                }
            }
        }
        if (doomed.Count > 0)
        {
            DeleteBlocks(doomed);
        }
    }

    private long WalBytes()
    {
        long total = 0;
        foreach (var file in new DirectoryInfo(_walDirectory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            total += file.Length;
        }
        return total;
    }

    /// <summary>The head's chunks re-encoded into block-sized ones, a series at a time as the writer reaches it.</summary>
    private static IEnumerable<SeriesChunks> BlockChunked(List<SeriesChunks> series)
    {
        foreach (var one in series)
        {
            var alreadyPacked = one.Chunks.Count == 1 && Chunk.EncodingOf(one.Chunks.Load(0)) == ChunkEncoding.Packed;
            yield return alreadyPacked ? one
                : new SeriesChunks(one.Labels, BlockCompaction.Rechunk(new ChunkSeriesIterator(one.Chunks, long.MinValue, long.MaxValue)));
        }
    }

    private static IEnumerable<LabelSet> LabelsOf(List<SeriesChunks> series)
    {
        foreach (var one in series)
        {
            yield return one.Labels;
        }
    }
}
