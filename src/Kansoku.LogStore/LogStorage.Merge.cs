using Kansoku.Core.Labels;
using Kansoku.LogStore.Index;
using Kansoku.LogStore.Maintenance;
using Kansoku.LogStore.Parts;
using Kansoku.LogStore.Query;

namespace Kansoku.LogStore;

internal sealed partial class LogStorage
{
    /// <summary>
    /// Merges one run of parts (the first partition with a run worth merging) into one part with bigger blocks, written
    /// at <see cref="LogStorageOptions.MergeCompressionLevel"/>; returns false when there was nothing to merge. The merged
    /// part is named by the inputs' sequence range, so if the process dies after it is renamed into place but before the
    /// inputs are deleted, the next open deletes the inputs.
    /// </summary>
    internal bool MergeOnce()
    {
        lock (_mergeLock)
        {
            return MergeOneRun();
        }
    }

    private bool MergeOneRun()
    {
        Partition? partition = null;
        List<Part>? inputs = null;
        lock (_lock)
        {
            foreach (var candidate in _partitions.Values)
            {
                if (MergePolicy.Pick(candidate.Parts, _options.MaxMergeParts, _options.MaxMergedPartBytes) is { } run)
                {
                    partition = candidate;
                    inputs = candidate.Parts.GetRange(run.Start, run.Count);
                    foreach (var part in inputs)
                    {
                        part.TryAcquire();
                    }
                    break;
                }
            }
        }
        if (partition is null || inputs is null)
        {
            return false;
        }
        try
        {
            var merged = WritePart(partition, PartFile.Name(inputs[0].FirstSequence, inputs[^1].LastSequence),
                _options.MergeCompressionLevel, writer => MergeStreams(writer, inputs));
            lock (_lock)
            {
                var at = partition.Parts.IndexOf(inputs[0]);
                if (partition.Dropped || at < 0 || !IsRunAt(partition.Parts, at, inputs))
                {
                    merged.Retire(delete: true);
                    return true;
                }
                partition.Parts.RemoveRange(at, inputs.Count);
                partition.Parts.Insert(at, merged);
                foreach (var part in inputs)
                {
                    part.Retire(delete: true);
                }
            }
            Counters.Merged();
            return true;
        }
        finally
        {
            foreach (var part in inputs)
            {
                part.Release();
            }
        }
    }

    private void MergeStreams(PartWriter writer, List<Part> inputs)
    {
        var streams = new Dictionary<int, (LabelSet Labels, List<(Part Part, PartStream Stream)> Sources)>();
        foreach (var part in inputs)
        {
            foreach (var stream in part.Streams)
            {
                if (!streams.TryGetValue(stream.StreamId, out var entry))
                {
                    entry = (stream.Labels, []);
                    streams.Add(stream.StreamId, entry);
                }
                entry.Sources.Add((part, stream));
            }
        }
        var ordered = new List<(LabelSet Labels, List<(Part Part, PartStream Stream)> Sources)>(streams.Values);
        ordered.Sort((a, b) => LabelSetOrder.ByHash(a.Labels, b.Labels));
        foreach (var (labels, sources) in ordered)
        {
            MergeStream(writer, labels, sources);
        }
    }

    /// <summary>
    /// Writes one stream of the merged parts. Blocks that are full enough and overlap no other block in time are copied as
    /// they are (no decompression, no re-encoding: a stream that arrives in time order is merged mostly by copying);
    /// the others are read, merged by time and deduplicated, and written into new, bigger blocks.
    /// </summary>
    private void MergeStream(PartWriter writer, LabelSet labels, List<(Part Part, PartStream Stream)> sources)
    {
        var blocks = new List<(int Source, int Block)>();
        for (var s = 0; s < sources.Count; s++)
        {
            for (var b = 0; b < sources[s].Stream.Blocks.Length; b++)
            {
                blocks.Add((s, b));
            }
        }
        BlockMeta Meta((int Source, int Block) at) => sources[at.Source].Stream.Blocks[at.Block];
        blocks.Sort((x, y) =>
        {
            var (a, b) = (Meta(x), Meta(y));
            var byMin = a.MinTimestamp.CompareTo(b.MinTimestamp);
            return byMin != 0 ? byMin : a.MaxTimestamp != b.MaxTimestamp ? a.MaxTimestamp.CompareTo(b.MaxTimestamp) : x.Source.CompareTo(y.Source);
        });
        var copy = new bool[blocks.Count];
        var latest = long.MinValue;
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = Meta(blocks[i]);
            copy[i] = latest < block.MinTimestamp
                && (i + 1 == blocks.Count || Meta(blocks[i + 1]).MinTimestamp > block.MaxTimestamp)
                && (block.RawBytes >= _options.BlockRawBytes / 2 || block.Entries >= _options.BlockMaxEntries / 2);
            latest = Math.Max(latest, block.MaxTimestamp);
        }

        writer.BeginStream(labels);
        var next = 0;
        while (next < blocks.Count)
        {
            if (copy[next])
            {
                var (part, _) = sources[blocks[next].Source];
                var block = Meta(blocks[next]);
                if (writer.CopyBlock(part, block))
                {
                    Counters.BlockCopiedByMerge();
                }
                else
                {
                    Counters.CorruptBlock();
                    ReportCorrupt(part, $"block at offset {block.DataOffset}: CRC mismatch; left out of the merge");
                }
                next++;
                continue;
            }
            // A run of blocks to re-encode lies between two copied ones, so each source's share of it is a range of its blocks.
            var end = next;
            var first = new int[sources.Count];
            var last = new int[sources.Count];
            Array.Fill(first, -1);
            for (; end < blocks.Count && !copy[end]; end++)
            {
                var (source, block) = blocks[end];
                first[source] = first[source] < 0 ? block : first[source];
                last[source] = block;
            }
            var cursors = new List<EntryCursor>();
            for (var s = 0; s < sources.Count; s++)
            {
                if (first[s] >= 0)
                {
                    cursors.Add(new BlockCursor(sources[s].Part, sources[s].Stream, first[s], last[s] + 1, Counters, ReportCorrupt));
                }
            }
            using (var merged = new MergedCursor([.. cursors], forward: true))
            {
                while (merged.MoveNext())
                {
                    writer.Add(merged.Timestamp, merged.Line);
                }
            }
            next = end;
        }
        writer.EndStream();
    }

    private static bool IsRunAt(List<Part> parts, int at, List<Part> run)
    {
        if (at + run.Count > parts.Count)
        {
            return false;
        }
        for (var i = 0; i < run.Count; i++)
        {
            if (!ReferenceEquals(parts[at + i], run[i]))
            {
                return false;
            }
        }
        return true;
    }

    private async Task MergeLoopAsync(CancellationToken stopping)
    {
        if (_options.MergeInterval == Timeout.InfiniteTimeSpan)
        {
            return;
        }
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.MergeInterval, _options.TimeProvider, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                while (!stopping.IsCancellationRequested && MergeOnce())
                {
                }
            }
            catch (Exception e)
            {
                _log($"log store: merge failed: {e}");
            }
        }
    }
}
