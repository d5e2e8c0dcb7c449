using Kansoku.Tsdb.Blocks;
using Kansoku.Tsdb.Querying;

namespace Kansoku.Tsdb;

public sealed partial class Tsdb
{
    /// <summary>The blocks, sorted by MinTime. Replaced and read under <c>_blocksLock</c>; changed only by compaction.</summary>
    private readonly List<Block> _blocks = [];
    private readonly Lock _blocksLock = new();

    internal IReadOnlyList<Block> Blocks
    {
        get
        {
            lock (_blocksLock)
            {
                return [.. _blocks];
            }
        }
    }

    private long NewestBlockMaxTime
    {
        get
        {
            lock (_blocksLock)
            {
                var newest = long.MinValue;
                foreach (var block in _blocks)
                {
                    newest = Math.Max(newest, block.Meta.MaxTime);
                }
                return newest;
            }
        }
    }

    /// <summary>Loads the block directories, removing what a crash left half-written or half-deleted.</summary>
    private void OpenBlocks()
    {
        foreach (var directory in Directory.EnumerateDirectories(_options.DataDirectory))
        {
            var name = Path.GetFileName(directory);
            if (name.EndsWith(BlockWriter.TemporarySuffix, StringComparison.Ordinal) || name.EndsWith(".deleted", StringComparison.Ordinal))
            {
                Directory.Delete(directory, recursive: true);
            }
            else if (BlockId.IsValid(name))
            {
                _blocks.Add(Block.Open(directory));
            }
        }
        SortBlocks();
    }

    private void SortBlocks() => _blocks.Sort((a, b) => a.Meta.MinTime != b.Meta.MinTime
        ? a.Meta.MinTime.CompareTo(b.Meta.MinTime)
        : string.CompareOrdinal(a.Meta.Id, b.Meta.Id));

    private List<Block> AcquireBlocks(long minTime, long maxTime, List<IndexQuerier> parts)
    {
        var acquired = new List<Block>();
        lock (_blocksLock)
        {
            foreach (var block in _blocks)
            {
                if (block.Overlaps(minTime, maxTime) && block.TryAcquire())
                {
                    acquired.Add(block);
                    parts.Add(new BlockQuerier(block, minTime, maxTime));
                }
            }
        }
        return acquired;
    }

    private static void ReleaseBlocks(List<Block> blocks)
    {
        foreach (var block in blocks)
        {
            block.Release();
        }
    }

    private void AddBlock(string directory)
    {
        var block = Block.Open(directory);
        lock (_blocksLock)
        {
            _blocks.Add(block);
            SortBlocks();
        }
    }

    private void DeleteBlocks(List<Block> doomed)
    {
        lock (_blocksLock)
        {
            foreach (var block in doomed)
            {
                _blocks.Remove(block);
            }
        }
        foreach (var block in doomed)
        {
            block.Delete();
        }
    }

    private void CloseBlocks()
    {
        lock (_blocksLock)
        {
            foreach (var block in _blocks)
            {
                block.Release();
            }
            _blocks.Clear();
        }
    }
}
