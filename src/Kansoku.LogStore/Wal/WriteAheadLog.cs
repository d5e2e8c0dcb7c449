using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace Kansoku.LogStore.Wal;

/// <summary>
/// The write-ahead log: numbered segment files <c>{wal}/00000001.wal</c>, each an 8-byte magic followed by records
/// (<see cref="WalRecord"/>). Appends go to the newest segment; a full segment is fsynced and a new one started. A flush
/// cuts (starts a new segment) and, once everything before the cut is in parts, deletes the older segments.
/// Thread-safe: one lock orders writes, fsyncs and cuts.
/// </summary>
internal sealed class WriteAheadLog : IDisposable
{
    public const string Extension = ".wal";

    private static ReadOnlySpan<byte> Magic => "KSKWAL\0\u0001"u8;

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly Lock _lock = new();
    private SafeFileHandle? _handle;
    private int _segment;
    private long _offset;
    private bool _dirty;
    private bool _rotateBeforeWrite;
    private long _closedSegmentsBytes;

    private WriteAheadLog(string directory, long segmentBytes, int nextSegment, long existingBytes)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _segment = nextSegment - 1;
        _closedSegmentsBytes = existingBytes;
        _rotateBeforeWrite = true;
    }

    /// <summary>Bytes in all segments still on disk.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_lock)
            {
                return _closedSegmentsBytes + _offset;
            }
        }
    }

    /// <summary>
    /// Opens the log in <paramref name="directory"/>, first handing every intact record's payload to
    /// <paramref name="replay"/> in order. A torn or corrupt record ends its segment: the newest segment is truncated
    /// there (a crash mid-write), an older one is reported and its rest skipped.
    /// </summary>
    public static WriteAheadLog Open(string directory, long segmentBytes, Action<string> log, Action<ReadOnlyMemory<byte>> replay)
    {
        Directory.CreateDirectory(directory);
        var segments = ListSegments(directory);
        long bytes = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var path = segments[i].Path;
            var data = File.ReadAllBytes(path);
            var good = ReplaySegment(data, replay, out var problem);
            if (problem is not null)
            {
                if (i == segments.Count - 1)
                {
                    log($"WAL segment {path}: {problem} at offset {good}; truncating the torn tail");
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
                    stream.SetLength(good);
                    stream.Flush(flushToDisk: true);
                }
                else
                {
                    log($"WAL segment {path}: {problem} at offset {good}; the rest of this segment is skipped");
                }
            }
            bytes += good;
        }
        var next = segments.Count == 0 ? 1 : segments[^1].Number + 1;
        return new WriteAheadLog(directory, segmentBytes, next, bytes);
    }

    /// <summary>Writes the records (each already framed) at the end of the log; not durable until <see cref="Sync"/>.</summary>
    public void Append(IReadOnlyList<ReadOnlyMemory<byte>> records, long bytes)
    {
        lock (_lock)
        {
            if (_rotateBeforeWrite || _handle is null || (_offset + bytes > _segmentBytes && _offset > Magic.Length))
            {
                RotateLocked();
            }
            try
            {
                RandomAccess.Write(_handle!, records, _offset);
            }
            catch
            {
                // What reached the file is unknown: write on in a fresh segment. Replay stops at the garbage in this one.
                _rotateBeforeWrite = true;
                throw;
            }
            _offset += bytes;
            _dirty = true;
        }
    }

    /// <summary>fsyncs the current segment if anything was written since the last fsync.</summary>
    public void Sync()
    {
        lock (_lock)
        {
            SyncLocked();
        }
    }

    /// <summary>
    /// Starts a new segment and returns its number: everything appended before the call is in older segments
    /// (fsynced), everything after in this one or newer.
    /// </summary>
    public int Cut()
    {
        lock (_lock)
        {
            RotateLocked();
            return _segment;
        }
    }

    /// <summary>Deletes the segments numbered below <paramref name="segment"/> (their entries are in parts now).</summary>
    public void DeleteBefore(int segment)
    {
        lock (_lock)
        {
            foreach (var (number, path) in ListSegments(_directory))
            {
                if (number < segment && number != _segment)
                {
                    var length = new FileInfo(path).Length;
                    File.Delete(path);
                    _closedSegmentsBytes = Math.Max(0, _closedSegmentsBytes - length);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_handle is not null)
            {
                SyncLocked();
                _handle.Dispose();
                _handle = null;
            }
        }
    }

    private void SyncLocked()
    {
        if (_dirty && _handle is not null)
        {
            RandomAccess.FlushToDisk(_handle);
            _dirty = false;
        }
    }

    private void RotateLocked()
    {
        if (_handle is not null)
        {
            SyncLocked();
            _handle.Dispose();
            _handle = null;
            _closedSegmentsBytes += _offset;
        }
        _segment++;
        var path = SegmentPath(_directory, _segment);
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        try
        {
            RandomAccess.Write(handle, Magic, 0);
            RandomAccess.FlushToDisk(handle);
            FileSystem.FsyncDirectory(_directory);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        _handle = handle;
        _offset = Magic.Length;
        _dirty = false;
        _rotateBeforeWrite = false;
    }

    private static long ReplaySegment(byte[] data, Action<ReadOnlyMemory<byte>> replay, out string? problem)
    {
        if (data.Length < Magic.Length || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            problem = data.Length < Magic.Length ? "incomplete segment header" : "bad segment magic";
            return 0;
        }
        var offset = (long)Magic.Length;
        while (offset < data.Length)
        {
            if (data.Length - offset < WalRecord.HeaderBytes)
            {
                problem = "incomplete record header";
                return offset;
            }
            var header = data.AsSpan((int)offset, WalRecord.HeaderBytes);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (length > WalRecord.MaxPayloadBytes || length > data.Length - offset - WalRecord.HeaderBytes)
            {
                problem = "incomplete record";
                return offset;
            }
            var payload = data.AsMemory((int)offset + WalRecord.HeaderBytes, (int)length);
            if (Crc32.HashToUInt32(payload.Span) != crc)
            {
                problem = "record CRC mismatch";
                return offset;
            }
            replay(payload);
            offset += WalRecord.HeaderBytes + length;
        }
        problem = null;
        return offset;
    }

    private static List<(int Number, string Path)> ListSegments(string directory)
    {
        var result = new List<(int, string)>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                result.Add((number, path));
            }
        }
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    private static string SegmentPath(string directory, int segment) =>
        Path.Combine(directory, segment.ToString("D8", CultureInfo.InvariantCulture) + Extension);
}
