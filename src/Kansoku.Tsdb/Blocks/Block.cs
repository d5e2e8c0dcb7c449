using Kansoku.Tsdb.Index;
using Microsoft.Win32.SafeHandles;

namespace Kansoku.Tsdb.Blocks;

/// <summary>
/// A persisted, immutable block. Queriers hold a reference; a block dropped by compaction or retention has its
/// directory deleted at once (open handles keep reading on Linux) and its handles closed when the last reader leaves.
/// </summary>
internal sealed class Block
{
    private readonly SafeFileHandle _chunks;
    private int _references = 1;

    private Block(string directory, BlockMeta meta, IndexReader index, SafeFileHandle chunks, long sizeBytes)
    {
        Directory = directory;
        Meta = meta;
        Index = index;
        _chunks = chunks;
        SizeBytes = sizeBytes;
    }

    public string Directory { get; }

    public BlockMeta Meta { get; }

    public IndexReader Index { get; }

    public SafeFileHandle Chunks => _chunks;

    public long SizeBytes { get; }

    public static Block Open(string directory)
    {
        var meta = BlockMeta.Read(Path.Combine(directory, BlockMeta.FileName));
        var index = new IndexReader(Path.Combine(directory, IndexFormat.FileName));
        try
        {
            var chunksPath = Path.Combine(directory, ChunkFile.Directory, ChunkFile.Name);
            var chunks = File.OpenHandle(chunksPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            long size = 0;
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                size += file.Length;
            }
            return new Block(directory, meta, index, chunks, size);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    public bool Overlaps(long minTime, long maxTime) => Meta.MinTime <= maxTime && Meta.MaxTime > minTime;

    /// <summary>A reader's reference; false once the block is closed.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Index.Dispose();
            _chunks.Dispose();
        }
    }

    /// <summary>Drops the store's own reference and deletes the directory (renamed first, so a crash never leaves half a block).</summary>
    public void Delete()
    {
        var doomed = Directory + ".deleted";
        System.IO.Directory.Move(Directory, doomed);
        System.IO.Directory.Delete(doomed, recursive: true);
        Release();
    }
}
