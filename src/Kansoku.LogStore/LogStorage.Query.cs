using Kansoku.Core.Labels;
using Kansoku.LogStore.Head;
using Kansoku.LogStore.Parts;
using Kansoku.LogStore.Query;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore;

internal sealed partial class LogStorage
{
    /// <summary>
    /// One reader per stream that matches and may have entries in [start, end): time ranges are checked per part stream
    /// and head stream, needles per line, so a reader can yield nothing. Readers hold part references and head snapshots taken now; nothing is read until
    /// their first MoveNext. Sorted by labels.
    /// </summary>
    public IReadOnlyList<ILogStreamReader> Select(LogSelect select)
    {
        ArgumentNullException.ThrowIfNull(select);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (select.StartUnixNano >= select.EndUnixNano)
        {
            return [];
        }
        var ids = _registry.Match(select.Matchers);
        if (ids.Count == 0)
        {
            return [];
        }
        var range = new QueryRange(select.StartUnixNano, select.EndUnixNano, select.Direction, select.RequiredSubstrings);
        var streams = new Dictionary<int, (List<PartitionSources> Partitions, List<RefCounted> Acquired)>();
        lock (_lock)
        {
            var partitions = PartitionsLocked(range.Start, range.End);
            if (!range.Forward)
            {
                partitions.Reverse();
            }
            var wanted = new HashSet<int>(ids);
            foreach (var partition in partitions)
            {
                var byStream = new Dictionary<int, (PartitionSources Sources, List<PartitionHead> Heads)>();
                foreach (var part in partition.Parts)
                {
                    ForEachStream(part, ids, wanted, stream =>
                    {
                        if (stream.Overlaps(range.Start, range.End))
                        {
                            Sources(byStream, stream.StreamId).Sources.Parts.Add((part, stream));
                        }
                    });
                }
                foreach (var head in HeadsOf(partition))
                {
                    ForEachStream(head, ids, wanted, stream =>
                    {
                        if (stream.Count > 0 && stream.MinTimestamp < range.End && stream.MaxTimestamp >= range.Start)
                        {
                            var sources = Sources(byStream, stream.StreamId);
                            sources.Sources.Heads.Add(stream.Snapshot());
                            sources.Heads.Add(head);
                        }
                    });
                }
                foreach (var (id, (sources, heads)) in byStream)
                {
                    if (!streams.TryGetValue(id, out var state))
                    {
                        state = ([], []);
                        streams.Add(id, state);
                    }
                    state.Partitions.Add(sources);
                    // Under the lock parts and heads in a partition's lists always have the state's reference, so these succeed.
                    foreach (var (part, _) in sources.Parts)
                    {
                        part.TryAcquire();
                        state.Acquired.Add(part);
                    }
                    foreach (var head in heads)
                    {
                        head.TryAcquire();
                        state.Acquired.Add(head);
                    }
                }
            }
        }
        var readers = new List<LogStreamReader>(streams.Count);
        foreach (var (id, state) in streams)
        {
            readers.Add(new LogStreamReader(_registry.Labels(id), state.Partitions, state.Acquired, range, Counters, ReportCorrupt));
        }
        readers.Sort((a, b) => CompareLabels(a.Labels, b.Labels));
        return readers;
    }

    public IReadOnlyList<LabelSet> Series(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano)
    {
        var result = new List<LabelSet>();
        foreach (var id in Present(matchers, startUnixNano, endUnixNano))
        {
            result.Add(_registry.Labels(id));
        }
        result.Sort(CompareLabels);
        return result;
    }

    public IReadOnlyList<string> LabelNames(long startUnixNano, long endUnixNano)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in Present([], startUnixNano, endUnixNano))
        {
            foreach (var label in _registry.Labels(id).AsSpan())
            {
                names.Add(label.Name);
            }
        }
        var sorted = new List<string>(names);
        sorted.Sort(StringComparer.Ordinal);
        return sorted;
    }

    public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in Present(matchers, startUnixNano, endUnixNano))
        {
            var value = _registry.Labels(id).Get(name);
            if (value.Length > 0)
            {
                values.Add(value);
            }
        }
        var sorted = new List<string>(values);
        sorted.Sort(StringComparer.Ordinal);
        return sorted;
    }

    /// <summary>
    /// Streams, chunks (blocks overlapping the range, plus one per head stream), entries and line bytes. Blocks count
    /// whole, as Loki's index stats count whole chunks; head entries count exactly.
    /// </summary>
    public LogIndexStats Stats(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano)
    {
        var ids = _registry.Match(matchers);
        var wanted = new HashSet<int>(ids);
        var present = new HashSet<int>();
        long chunks = 0;
        long entries = 0;
        long bytes = 0;
        lock (_lock)
        {
            foreach (var partition in PartitionsLocked(startUnixNano, endUnixNano))
            {
                foreach (var part in partition.Parts)
                {
                    ForEachStream(part, ids, wanted, stream =>
                    {
                        if (!stream.Overlaps(startUnixNano, endUnixNano))
                        {
                            return;
                        }
                        for (var b = stream.FirstBlockAtOrAfter(startUnixNano); b < stream.Blocks.Length; b++)
                        {
                            var block = stream.Blocks[b];
                            if (block.MinTimestamp >= endUnixNano)
                            {
                                break;
                            }
                            present.Add(stream.StreamId);
                            chunks++;
                            entries += block.Entries;
                            bytes += block.RawBytes;
                        }
                    });
                }
                foreach (var head in HeadsOf(partition))
                {
                    ForEachStream(head, ids, wanted, stream =>
                    {
                        var snapshot = stream.Snapshot();
                        var counted = false;
                        for (var i = 0; i < snapshot.Count; i++)
                        {
                            var entry = snapshot.Entries[i];
                            if (entry.Timestamp >= startUnixNano && entry.Timestamp < endUnixNano)
                            {
                                entries++;
                                bytes += entry.Length;
                                counted = true;
                            }
                        }
                        if (counted)
                        {
                            present.Add(stream.StreamId);
                            chunks++;
                        }
                    });
                }
            }
        }
        return new LogIndexStats(present.Count, chunks, entries, bytes);
    }

    /// <summary>Ids of the matching streams that have entries in [start, end) by block and head time ranges.</summary>
    private HashSet<int> Present(IReadOnlyList<LabelMatcher> matchers, long start, long end)
    {
        var present = new HashSet<int>();
        if (start >= end)
        {
            return present;
        }
        var ids = _registry.Match(matchers);
        var wanted = new HashSet<int>(ids);
        lock (_lock)
        {
            foreach (var partition in PartitionsLocked(start, end))
            {
                foreach (var part in partition.Parts)
                {
                    ForEachStream(part, ids, wanted, stream =>
                    {
                        if (stream.Overlaps(start, end) && HasBlockIn(stream, start, end))
                        {
                            present.Add(stream.StreamId);
                        }
                    });
                }
                foreach (var head in HeadsOf(partition))
                {
                    ForEachStream(head, ids, wanted, stream =>
                    {
                        if (stream.Count > 0 && stream.MinTimestamp < end && stream.MaxTimestamp >= start)
                        {
                            present.Add(stream.StreamId);
                        }
                    });
                }
            }
        }
        return present;
    }

    private static bool HasBlockIn(PartStream stream, long start, long end)
    {
        var first = stream.FirstBlockAtOrAfter(start);
        return first < stream.Blocks.Length && stream.Blocks[first].MinTimestamp < end;
    }

    /// <summary>The partitions whose day overlaps [start, end), oldest first. Must hold <see cref="_lock"/>.</summary>
    private List<Partition> PartitionsLocked(long start, long end)
    {
        var result = new List<Partition>();
        var firstDay = Partition.DayOf(start);
        var lastDay = Partition.DayOf(end - 1);
        foreach (var (day, partition) in _partitions)
        {
            if (day >= firstDay && day <= lastDay)
            {
                result.Add(partition);
            }
        }
        return result;
    }

    /// <summary>Calls <paramref name="action"/> for the part's streams among <paramref name="ids"/>, walking the smaller side.</summary>
    private static void ForEachStream(Part part, List<int> ids, HashSet<int> wanted, Action<PartStream> action)
    {
        if (part.Streams.Length <= ids.Count)
        {
            foreach (var stream in part.Streams)
            {
                if (wanted.Contains(stream.StreamId))
                {
                    action(stream);
                }
            }
            return;
        }
        foreach (var id in ids)
        {
            if (part.Find(id) is { } stream)
            {
                action(stream);
            }
        }
    }

    private static void ForEachStream(PartitionHead head, List<int> ids, HashSet<int> wanted, Action<HeadStream> action)
    {
        if (head.Streams.Count <= ids.Count)
        {
            foreach (var stream in head.Streams)
            {
                if (wanted.Contains(stream.StreamId))
                {
                    action(stream);
                }
            }
            return;
        }
        foreach (var id in ids)
        {
            if (head.Find(id) is { } stream)
            {
                action(stream);
            }
        }
    }

    private static (PartitionSources Sources, List<PartitionHead> Heads) Sources(
        Dictionary<int, (PartitionSources Sources, List<PartitionHead> Heads)> byStream, int id)
    {
        if (!byStream.TryGetValue(id, out var sources))
        {
            sources = (new PartitionSources(), []);
            byStream.Add(id, sources);
        }
        return sources;
    }
}
