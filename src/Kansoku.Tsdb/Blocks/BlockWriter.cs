using Kansoku.Core.IO;
using Kansoku.Core.Labels;
using Kansoku.Tsdb.Chunks;
using Kansoku.Tsdb.Index;

namespace Kansoku.Tsdb.Blocks;

/// <summary>A series to persist: its labels and its chunks in time order.</summary>
internal readonly record struct SeriesChunks(LabelSet Labels, IChunkSequence Chunks);

/// <summary>
/// Writes a block into <c>DIR/ULID.tmp</c> and renames it to <c>DIR/ULID</c> once every file is fsynced, so a block
/// directory either is complete or does not exist.
/// </summary>
internal static class BlockWriter
{
    public const string TemporarySuffix = ".tmp";

    /// <summary>Writes <paramref name="series"/> (label order, chunks inside [minTime, maxTime)) as a block; null when none has chunks.</summary>
    public static BlockMeta? Write(
        string dataDirectory, TimeProvider time, long minTime, long maxTime, int level, IReadOnlyList<string>? sources,
        string[] sortedSymbols, IEnumerable<SeriesChunks> series)
    {
        var id = BlockId.New(time);
        var finalPath = Path.Combine(dataDirectory, id);
        var temporaryPath = finalPath + TemporarySuffix;
        Directory.CreateDirectory(Path.Combine(temporaryPath, ChunkFile.Directory));
        long samples = 0;
        long chunkCount = 0;
        int seriesCount;
        try
        {
            using (var chunkWriter = new ChunkFileWriter(Path.Combine(temporaryPath, ChunkFile.Directory, ChunkFile.Name)))
            using (var indexWriter = new IndexWriter(Path.Combine(temporaryPath, IndexFormat.FileName), sortedSymbols, minTime))
            {
                var metas = new List<ChunkMeta>();
                foreach (var one in series)
                {
                    metas.Clear();
                    for (var i = 0; i < one.Chunks.Count; i++)
                    {
                        var bytes = one.Chunks.Load(i);
                        samples += Chunk.SampleCount(bytes);
                        metas.Add(new ChunkMeta(one.Chunks.MinTime(i), one.Chunks.MaxTime(i), chunkWriter.Write(bytes)));
                    }
                    if (metas.Count > 0)
                    {
                        indexWriter.AddSeries(one.Labels, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(metas));
                        chunkCount += metas.Count;
                    }
                }
                seriesCount = indexWriter.SeriesCount;
                chunkWriter.Finish();
                indexWriter.Finish();
            }
            if (seriesCount == 0)
            {
                Directory.Delete(temporaryPath, recursive: true);
                return null;
            }
            var meta = new BlockMeta(id, minTime, maxTime, samples, seriesCount, chunkCount, level, sources ?? [id]);
            meta.Write(Path.Combine(temporaryPath, BlockMeta.FileName));
            DirectorySync.Fsync(Path.Combine(temporaryPath, ChunkFile.Directory));
            DirectorySync.Fsync(temporaryPath);
            Directory.Move(temporaryPath, finalPath);
            DirectorySync.Fsync(dataDirectory);
            return meta;
        }
        catch
        {
            if (Directory.Exists(temporaryPath))
            {
                Directory.Delete(temporaryPath, recursive: true);
            }
            throw;
        }
    }

    /// <summary>The distinct names and values of <paramref name="series"/>, sorted ordinally (a block's symbol table).</summary>
    public static string[] Symbols(IEnumerable<LabelSet> series)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var labels in series)
        {
            foreach (var label in labels.AsSpan())
            {
                set.Add(label.Name);
                set.Add(label.Value);
            }
        }
        var symbols = new string[set.Count];
        set.CopyTo(symbols);
        Array.Sort(symbols, StringComparer.Ordinal);
        return symbols;
    }
}
