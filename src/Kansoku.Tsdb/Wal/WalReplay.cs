using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using Kansoku.Tsdb.Head;

namespace Kansoku.Tsdb.Wal;

/// <summary>
/// Rebuilds the head at open: the newest checkpoint, then the segments after it. A torn or corrupt record ends the
/// log there: its segment is truncated to the last good record and later segments are deleted, as Prometheus' repair.
/// </summary>
internal static class WalReplay
{
    public const string CheckpointPrefix = "checkpoint.";

    /// <summary>Replays <paramref name="directory"/> into <paramref name="head"/>; returns the index of the next segment to write.</summary>
    public static WalReplayResult Replay(string directory, HeadBlock head, long minValidTime)
    {
        Directory.CreateDirectory(directory);
        var checkpoint = FindCheckpoint(directory, out var checkpointPath);
        var scratch = new List<PendingSample>();
        var repaired = false;
        if (checkpointPath is not null)
        {
            foreach (var file in NumberedFiles(checkpointPath))
            {
                repaired |= !ReadSegment(file.Path, head, minValidTime, scratch);
            }
        }
        var next = checkpoint + 1;
        var segments = NumberedFiles(directory);
        for (var i = 0; i < segments.Count; i++)
        {
            var (index, path) = segments[i];
            if (index <= checkpoint)
            {
                File.Delete(path); // left behind by a crash between checkpoint and cleanup
                continue;
            }
            next = index + 1;
            if (!ReadSegment(path, head, minValidTime, scratch))
            {
                repaired = true;
                for (var j = i + 1; j < segments.Count; j++)
                {
                    File.Delete(segments[j].Path);
                }
                break;
            }
        }
        foreach (var series in head.AllSeries())
        {
            series.WalLogged = true;
        }
        return new WalReplayResult(next, repaired);
    }

    /// <summary>The newest complete checkpoint's segment number (-1 when none); half-written ones are deleted.</summary>
    public static int FindCheckpoint(string directory, out string? path)
    {
        path = null;
        var best = -1;
        foreach (var candidate in Directory.EnumerateDirectories(directory, CheckpointPrefix + "*"))
        {
            var suffix = Path.GetFileName(candidate)[CheckpointPrefix.Length..];
            if (int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                if (index > best)
                {
                    best = index;
                    path = candidate;
                }
            }
            else
            {
                Directory.Delete(candidate, recursive: true);
            }
        }
        return best;
    }

    /// <summary>Files named by an 8-digit number, in order.</summary>
    public static List<(int Index, string Path)> NumberedFiles(string directory)
    {
        var files = new List<(int, string)>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(file);
            if (name.Length == 8 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                files.Add((index, file));
            }
        }
        files.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return files;
    }

    /// <summary>Applies a segment's records; false when it ended in a torn or corrupt record (then it is truncated there).</summary>
    private static bool ReadSegment(string path, HeadBlock head, long minValidTime, List<PendingSample> scratch)
    {
        long goodLength = 0;
        var intact = true;
        var payload = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16))
            {
                Span<byte> frame = stackalloc byte[WalRecords.FrameBytes];
                while (true)
                {
                    var read = stream.ReadAtLeast(frame, frame.Length, throwOnEndOfStream: false);
                    if (read == 0)
                    {
                        break;
                    }
                    var (type, length, crc) = WalRecords.ReadFrame(frame);
                    if (read < frame.Length || !WalRecords.IsKnown((byte)type) || length > stream.Length - stream.Position)
                    {
                        intact = false;
                        break;
                    }
                    if (payload.Length < length)
                    {
                        ArrayPool<byte>.Shared.Return(payload);
                        payload = ArrayPool<byte>.Shared.Rent(length);
                    }
                    var body = payload.AsSpan(0, length);
                    if (stream.ReadAtLeast(body, length, throwOnEndOfStream: false) < length || Crc32.HashToUInt32(body) != crc)
                    {
                        intact = false;
                        break;
                    }
                    try
                    {
                        WalRecords.Apply(type, body, head, minValidTime, scratch);
                    }
                    catch (InvalidDataException)
                    {
                        intact = false;
                        break;
                    }
                    goodLength = stream.Position;
                }
            }
            if (!intact)
            {
                using var truncate = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                truncate.SetLength(goodLength);
                truncate.Flush(flushToDisk: true);
            }
            return intact;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }
}

/// <summary>What a replay found: the next segment to write and whether a damaged tail was cut off.</summary>
internal readonly record struct WalReplayResult(int NextSegment, bool Repaired);
