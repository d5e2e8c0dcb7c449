using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Chunks;
using Kansoku.Tsdb.Head;

namespace Kansoku.Tsdb.Blocks;

/// <summary>
/// Which blocks to merge and the merge itself (Prometheus' LeveledCompactor): overlapping blocks first (backfill, or a
/// crash between writing a merged block and deleting its sources), then blocks filling an aligned window of the next
/// range (2h -> 6h -> 18h -> 54h ...), never the newest block, which the head may still be extending next to.
/// </summary>
internal static class BlockCompaction
{
    private const long MaxBlockMs = 31L * 24 * 3600 * 1000;

    /// <summary>The ranges above the head's block range: x3 each, up to a tenth of the retention (and 31 days).</summary>
    public static long[] Ranges(long blockDurationMs, TimeSpan retention)
    {
        var limit = retention > TimeSpan.Zero ? Math.Min(MaxBlockMs, (long)retention.TotalMilliseconds / 10) : MaxBlockMs;
        var ranges = new List<long>();
        for (var range = blockDurationMs * 3; range <= limit && ranges.Count < 8; range *= 3)
        {
            ranges.Add(range);
        }
        return [.. ranges];
    }

    public static List<Block>? Plan(IReadOnlyList<Block> blocks, long[] ranges)
    {
        if (Overlapping(blocks) is { } overlapping)
        {
            return overlapping;
        }
        if (blocks.Count < 3)
        {
            return null;
        }
        var newestStart = blocks[^1].Meta.MinTime;
        foreach (var range in ranges)
        {
            var group = new List<Block>();
            long window = long.MinValue;
            for (var i = 0; i < blocks.Count - 1; i++)
            {
                var block = blocks[i];
                var start = TimeRanges.Floor(block.Meta.MinTime, range);
                if (block.Meta.MaxTime > start + range)
                {
                    continue; // already larger than this range
                }
                if (start != window)
                {
                    if (Worth(group, window, range, newestStart))
                    {
                        return group;
                    }
                    group = [];
                    window = start;
                }
                group.Add(block);
            }
            if (Worth(group, window, range, newestStart))
            {
                return group;
            }
        }
        return null;
    }

    /// <summary>Merges <paramref name="sources"/> into one block; null when they hold no samples.</summary>
    public static BlockMeta? Merge(string dataDirectory, TimeProvider time, List<Block> sources)
    {
        var minTime = long.MaxValue;
        var maxTime = long.MinValue;
        var level = 0;
        var ids = new List<string>();
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in sources)
        {
            minTime = Math.Min(minTime, block.Meta.MinTime);
            maxTime = Math.Max(maxTime, block.Meta.MaxTime);
            level = Math.Max(level, block.Meta.Level);
            ids.AddRange(block.Meta.Sources);
            symbols.UnionWith(block.Index.Symbols);
        }
        var sortedSymbols = new string[symbols.Count];
        symbols.CopyTo(sortedSymbols);
        Array.Sort(sortedSymbols, StringComparer.Ordinal);
        ids.Sort(StringComparer.Ordinal);
        return BlockWriter.Write(dataDirectory, time, minTime, maxTime, level + 1, ids, sortedSymbols, MergedSeries(sources));
    }

    private static bool Worth(List<Block> group, long window, long range, long newestStart) =>
        group.Count > 1 && window + range <= newestStart;

    /// <summary>The first run of blocks (in MinTime order) whose ranges overlap, or null.</summary>
    private static List<Block>? Overlapping(IReadOnlyList<Block> blocks)
    {
        var group = new List<Block>();
        var groupEnd = long.MinValue;
        foreach (var block in blocks)
        {
            if (group.Count > 0 && block.Meta.MinTime >= groupEnd)
            {
                if (group.Count > 1)
                {
                    return group;
                }
                group.Clear();
            }
            group.Add(block);
            groupEnd = Math.Max(groupEnd, block.Meta.MaxTime);
        }
        return group.Count > 1 ? group : null;
    }

    /// <summary>The sources' series in label order; one label set found in several blocks becomes one series.</summary>
    private static IEnumerable<SeriesChunks> MergedSeries(List<Block> sources)
    {
        var next = new ulong[sources.Count];
        var current = new (LabelSet Labels, ChunkMeta[] Chunks)?[sources.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            current[i] = Read(sources[i], ref next[i]);
        }
        var parts = new List<(Block Block, ChunkMeta[] Chunks)>();
        while (true)
        {
            LabelSet? smallest = null;
            foreach (var entry in current)
            {
                if (entry is { } e && (smallest is null || LabelSetComparer.Instance.Compare(e.Labels, smallest) < 0))
                {
                    smallest = e.Labels;
                }
            }
            if (smallest is null)
            {
                yield break;
            }
            parts.Clear();
            for (var i = 0; i < sources.Count; i++)
            {
                if (current[i] is { } e && e.Labels.Equals(smallest))
                {
                    parts.Add((sources[i], e.Chunks));
                    current[i] = Read(sources[i], ref next[i]);
                }
            }
            yield return new SeriesChunks(smallest, Combine(parts));
        }
    }

    private static (LabelSet, ChunkMeta[])? Read(Block block, ref ulong next) =>
        next < (ulong)block.Index.SeriesCount ? block.Index.Series(next++) : null;

    /// <summary>Chunks that follow one another are copied as they are; overlapping ones are decoded, merged and re-encoded.</summary>
    private static IChunkSequence Combine(List<(Block Block, ChunkMeta[] Chunks)> parts)
    {
        var all = new List<(Block Block, ChunkMeta Chunk)>();
        foreach (var (block, chunks) in parts)
        {
            foreach (var chunk in chunks)
            {
                all.Add((block, chunk));
            }
        }
        all.Sort((a, b) => a.Chunk.MinTime.CompareTo(b.Chunk.MinTime));
        var disjoint = true;
        for (var i = 1; i < all.Count && disjoint; i++)
        {
            disjoint = all[i].Chunk.MinTime > all[i - 1].Chunk.MaxTime;
        }
        if (disjoint)
        {
            return new CopiedChunks(all);
        }
        var iterators = new ISampleIterator[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            iterators[i] = new ChunkSeriesIterator(new BlockChunks(parts[i].Block, parts[i].Chunks), long.MinValue, long.MaxValue);
        }
        return Rechunk(new MergedSampleIterator(iterators));
    }

    /// <summary>Encodes samples into chunks of <see cref="MemSeries.SamplesPerChunk"/>.</summary>
    public static HeadChunks Rechunk(ISampleIterator samples)
    {
        var chunks = new List<ClosedChunk>();
        var appender = default(XorAppender);
        while (samples.Next())
        {
            if (appender.Count == MemSeries.SamplesPerChunk)
            {
                chunks.Add(new ClosedChunk(appender.MinTime, appender.MaxTime, Chunk.Seal(appender)));
                appender = default;
            }
            appender.Append(samples.TimestampMs, samples.Value);
        }
        if (appender.Count > 0)
        {
            chunks.Add(new ClosedChunk(appender.MinTime, appender.MaxTime, Chunk.Seal(appender)));
        }
        return new HeadChunks(chunks);
    }

    private sealed class CopiedChunks(List<(Block Block, ChunkMeta Chunk)> chunks) : IChunkSequence
    {
        public int Count => chunks.Count;

        public long MinTime(int index) => chunks[index].Chunk.MinTime;

        public long MaxTime(int index) => chunks[index].Chunk.MaxTime;

        public ArraySegment<byte> Load(int index) => ChunkFile.Read(chunks[index].Block.Chunks, chunks[index].Chunk.Reference);
    }
}
