using System.Globalization;
using Kansoku.Core.IO;
using Kansoku.Tsdb.Encoding;
using Kansoku.Tsdb.Head;

namespace Kansoku.Tsdb.Wal;

/// <summary>
/// Appends records to numbered segment files. Each commit is one unbuffered write, so it is in the OS's hands when
/// Commit returns; fsync follows <see cref="WalFsyncMode"/>. <c>_lock</c> guards the segment (commits arrive under
/// the head's commit lock already; the lock orders them with the periodic sync and segment cuts).
/// </summary>
internal sealed class WalWriter : IHeadLog, IDisposable
{
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly WalFsyncMode _fsyncMode;
    private readonly Lock _lock = new();
    private readonly ByteWriter _buffer = new(64 * 1024);
    private readonly List<MemSeries> _newSeries = [];
    private FileStream _segment;
    private long _segmentLength;
    private bool _dirty;

    public WalWriter(string directory, int firstSegment, long segmentBytes, WalFsyncMode fsyncMode)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _fsyncMode = fsyncMode;
        Directory.CreateDirectory(directory);
        SegmentIndex = firstSegment;
        _segment = OpenSegment(firstSegment);
    }

    /// <summary>The segment being written.</summary>
    public int SegmentIndex { get; private set; }

    public static string SegmentName(int index) => index.ToString("D8", CultureInfo.InvariantCulture);

    public void LogCommit(ReadOnlySpan<PendingSample> samples)
    {
        if (samples.IsEmpty)
        {
            return;
        }
        _buffer.Reset();
        _newSeries.Clear();
        foreach (var sample in samples)
        {
            if (!sample.Series.WalLogged)
            {
                // Marked now so a series appended twice in the transaction is written once; undone if the write fails.
                sample.Series.WalLogged = true;
                _newSeries.Add(sample.Series);
            }
        }
        if (_newSeries.Count > 0)
        {
            WalRecords.WriteSeries(_buffer, _newSeries);
        }
        WalRecords.WriteSamples(_buffer, samples);
        try
        {
            Write(_buffer.WrittenSpan);
        }
        catch
        {
            foreach (var series in _newSeries)
            {
                series.WalLogged = false;
            }
            throw;
        }
    }

    /// <summary>Closes the current segment (fsynced) and starts the next; returns the index of the closed one.</summary>
    public int CutSegment()
    {
        lock (_lock)
        {
            CutLocked();
            return SegmentIndex - 1;
        }
    }

    /// <summary>The periodic fsync; does nothing when nothing was written since the last.</summary>
    public void Sync()
    {
        lock (_lock)
        {
            if (_dirty)
            {
                _segment.Flush(flushToDisk: true);
                _dirty = false;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _segment.Flush(flushToDisk: true);
            _segment.Dispose();
        }
    }

    private void Write(ReadOnlySpan<byte> records)
    {
        lock (_lock)
        {
            if (_segmentLength > 0 && _segmentLength + records.Length > _segmentBytes)
            {
                CutLocked();
            }
            _segment.Write(records);
            _segmentLength += records.Length;
            if (_fsyncMode == WalFsyncMode.EveryCommit)
            {
                _segment.Flush(flushToDisk: true);
            }
            else
            {
                _dirty = true;
            }
        }
    }

    private void CutLocked()
    {
        _segment.Flush(flushToDisk: true);
        _segment.Dispose();
        _dirty = false;
        SegmentIndex++;
        _segment = OpenSegment(SegmentIndex);
    }

    private FileStream OpenSegment(int index)
    {
        // bufferSize 0: every Write is a write(2), so a commit survives the process being killed right after it.
        var stream = new FileStream(Path.Combine(_directory, SegmentName(index)), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _segmentLength = 0;
        DirectorySync.Fsync(_directory);
        return stream;
    }
}
