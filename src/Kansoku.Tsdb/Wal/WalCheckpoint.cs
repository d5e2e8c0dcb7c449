using Kansoku.Core.IO;
using Kansoku.Tsdb.Encoding;
using Kansoku.Tsdb.Head;

namespace Kansoku.Tsdb.Wal;

/// <summary>
/// After head truncation: cuts the WAL, writes what the head still holds (series and their chunks from the truncation
/// point on) as <c>checkpoint.N</c> (N = the last segment it covers), then deletes segments up to N and older
/// checkpoints. A commit is either before the cut (then in the head, so in the checkpoint) or after it (in a segment
/// that is kept); replay drops the samples a checkpoint and a segment both hold.
/// </summary>
internal static class WalCheckpoint
{
    public static void Create(string directory, WalWriter wal, HeadBlock head, long minTime)
    {
        var last = 0;
        head.WithCommitsPaused(() => last = wal.CutSegment());
        var finalPath = Path.Combine(directory, WalReplay.CheckpointPrefix + WalWriter.SegmentName(last));
        var temporaryPath = finalPath + ".tmp";
        if (Directory.Exists(temporaryPath))
        {
            Directory.Delete(temporaryPath, recursive: true);
        }
        Directory.CreateDirectory(temporaryPath);
        using (var stream = new FileStream(Path.Combine(temporaryPath, WalWriter.SegmentName(0)), FileMode.CreateNew, FileAccess.Write))
        {
            var buffer = new ByteWriter(1 << 20);
            var batch = new List<MemSeries>(1024);
            foreach (var series in head.AllSeries())
            {
                batch.Add(series);
                if (batch.Count == batch.Capacity)
                {
                    WriteBatch(stream, buffer, batch, minTime);
                }
            }
            WriteBatch(stream, buffer, batch, minTime);
            stream.Flush(flushToDisk: true);
        }
        DirectorySync.Fsync(temporaryPath);
        Directory.Move(temporaryPath, finalPath);
        DirectorySync.Fsync(directory);

        foreach (var (index, path) in WalReplay.NumberedFiles(directory))
        {
            if (index <= last)
            {
                File.Delete(path);
            }
        }
        foreach (var other in Directory.EnumerateDirectories(directory, WalReplay.CheckpointPrefix + "*"))
        {
            if (!string.Equals(other, finalPath, StringComparison.Ordinal))
            {
                Directory.Delete(other, recursive: true);
            }
        }
    }

    private static void WriteBatch(FileStream stream, ByteWriter buffer, List<MemSeries> batch, long minTime)
    {
        if (batch.Count == 0)
        {
            return;
        }
        buffer.Reset();
        WalRecords.WriteSeries(buffer, batch);
        foreach (var series in batch)
        {
            HeadChunks? chunks;
            lock (series)
            {
                chunks = series.Snapshot(minTime, long.MaxValue);
            }
            for (var i = 0; i < (chunks?.Count ?? 0); i++)
            {
                WalRecords.WriteChunk(buffer, series.Ref, new ClosedChunk(chunks!.MinTime(i), chunks.MaxTime(i), chunks.Load(i).Array!));
            }
        }
        stream.Write(buffer.WrittenSpan);
        batch.Clear();
    }
}
