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
        var streams = new Dictionary<int, (LabelSet Labels, PartitionSources Sources)>();
        foreach (var part in inputs)
        {
            foreach (var stream in part.Streams)
            {
                if (!streams.TryGetValue(stream.StreamId, out var entry))
                {
                    entry = (stream.Labels, new PartitionSources());
                    streams.Add(stream.StreamId, entry);
                }
                entry.Sources.Parts.Add((part, stream));
            }
        }
        var ordered = new List<(LabelSet Labels, PartitionSources Sources)>(streams.Values);
        ordered.Sort((a, b) => LabelSetOrder.ByHash(a.Labels, b.Labels));
        foreach (var (labels, sources) in ordered)
        {
            Copy(writer, labels, sources);
        }
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
