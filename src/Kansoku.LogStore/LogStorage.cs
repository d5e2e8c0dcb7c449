using System.Threading.Channels;
using Kansoku.Core.Labels;
using Kansoku.Core.Threading;
using Kansoku.LogStore.Head;
using Kansoku.LogStore.Index;
using Kansoku.LogStore.Parts;
using Kansoku.LogStore.Wal;
using Kansoku.Storage.Logs;
using Kansoku.Core.Time;

namespace Kansoku.LogStore;

/// <summary>
/// The log store: appends go to the write-ahead log (one writer, group commit) and then to in-memory heads per day;
/// heads are flushed to immutable part files per day, small parts merged in the background, whole days dropped by
/// retention. Queries merge parts and heads. Layout and formats: docs/format/logstore.md.
/// <para>
/// Locking: <see cref="_lock"/> guards the partitions (their heads, frozen heads and part lists) and the head byte count.
/// The WAL writer holds it while inserting a written group into the heads; queries hold it while taking part references
/// and head snapshots, then read without it. File I/O (writing parts, merging, reading blocks) happens outside it.
/// Order: <see cref="_lock"/> before the registry's lock; never the other way.
/// </para>
/// </summary>
internal sealed partial class LogStorage : ILogAppender, ILogQuerier, IDisposable
{
    private readonly string _directory;
    private readonly string _partitionsDirectory;
    private readonly LogStorageOptions _options;
    private readonly Action<string> _log;
    private readonly FileStream _lockFile;
    private readonly Lock _lock = new();
    private readonly Lock _mergeLock = new();
    private readonly SortedDictionary<int, Partition> _partitions = [];
    private readonly StreamRegistry _registry = new();
    private readonly HeadPagePool _pagePool;
    private readonly AsyncPulse _roomFreed = new();
    private readonly Channel<WriteRequest> _queue = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly SemaphoreSlim _flushSignal = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<string> _corruptParts = [];
    private readonly HashSet<string> _reportedCorrupt = new(StringComparer.Ordinal);
    private WriteAheadLog _wal = null!;
    private Task _writer = Task.CompletedTask;
    private Task _maintenance = Task.CompletedTask;
    private Task _merger = Task.CompletedTask;
    private long _headBytes;
    private long _pendingBytes;
    private long _partSequence;
    private long _headSequence;
    private int _disposed;

    private LogStorage(string directory, LogStorageOptions options, FileStream lockFile)
    {
        _directory = directory;
        _partitionsDirectory = Path.Combine(directory, "partitions");
        _options = options;
        _log = options.Log ?? (_ => { });
        _lockFile = lockFile;
        _pagePool = new HeadPagePool(options.FlushHeadBytes);
    }

    public LogStoreCounters Counters { get; } = new();

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="dataDirectory"/>: loads the parts (reporting and skipping
    /// corrupt ones), replays the WAL into the heads, and starts the WAL writer and the background flush, merge and
    /// retention. Only one process may have a data directory open (an exclusive lock on <c>{data}/LOCK</c>).
    /// </summary>
    public static LogStorage Open(string dataDirectory, LogStorageOptions options)
    {
        options.Validate();
        Directory.CreateDirectory(dataDirectory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(dataDirectory, "LOCK"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"log store directory {dataDirectory} is in use by another process", e);
        }
        var storage = new LogStorage(dataDirectory, options, lockFile);
        try
        {
            Directory.CreateDirectory(storage._partitionsDirectory);
            storage.LoadPartitions();
            storage._wal = WriteAheadLog.Open(Path.Combine(dataDirectory, "wal"), options.WalSegmentBytes, storage._log, storage.Replay);
            storage.Start();
            return storage;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Where the data is kept now: oldest and newest entry, partitions, parts and bytes.</summary>
    public LogStoreStatus Status()
    {
        lock (_lock)
        {
            long? oldest = null;
            long? newest = null;
            var parts = 0;
            long partBytes = 0;
            foreach (var partition in _partitions.Values)
            {
                foreach (var part in partition.Parts)
                {
                    parts++;
                    partBytes += part.FileBytes;
                    Widen(ref oldest, ref newest, part.MinTimestamp, part.MaxTimestamp);
                }
                foreach (var head in HeadsOf(partition))
                {
                    if (head.Entries > 0)
                    {
                        Widen(ref oldest, ref newest, head.MinTimestamp, head.MaxTimestamp);
                    }
                }
            }
            return new LogStoreStatus(oldest, newest, _partitions.Count, parts, partBytes, _wal.TotalBytes, _headBytes,
                _registry.Count, (long)_pagePool.IdlePages * HeadPagePool.PageBytes, [.. _corruptParts]);
        }

        static void Widen(ref long? oldest, ref long? newest, long min, long max)
        {
            oldest = oldest is null ? min : Math.Min(oldest.Value, min);
            newest = newest is null ? max : Math.Max(newest.Value, max);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopping.Cancel();
        WaitQuietly(_maintenance);
        WaitQuietly(_merger);
        _queue.Writer.TryComplete();
        WaitQuietly(_writer);
        if (_options.FlushOnDispose)
        {
            try
            {
                var segment = CutAndFreeze();
                if (PersistFrozen())
                {
                    _wal.DeleteBefore(segment);
                }
            }
            catch (Exception e)
            {
                _log($"log store: final flush failed, the WAL keeps the entries: {e.Message}");
            }
        }
        _wal.Dispose();
        lock (_lock)
        {
            foreach (var partition in _partitions.Values)
            {
                foreach (var part in partition.Parts)
                {
                    part.Retire(delete: false);
                }
                partition.Parts.Clear();
            }
        }
        _stopping.Dispose();
        _flushGate.Dispose();
        _flushSignal.Dispose();
        _lockFile.Dispose();
    }

    private void Start()
    {
        _writer = Task.Factory.StartNew(WriterLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        _maintenance = Task.Run(() => MaintenanceLoopAsync(_stopping.Token));
        _merger = Task.Run(() => MergeLoopAsync(_stopping.Token));
    }

    private static void WaitQuietly(Task task)
    {
        try
        {
            task.Wait();
        }
        catch (AggregateException)
        {
            // The loops log their own failures; cancellation ends them with an exception on purpose.
        }
    }

    private long NowUnixNano() => _options.TimeProvider.NowNanos();

    private static IEnumerable<PartitionHead> HeadsOf(Partition partition)
    {
        foreach (var head in partition.Frozen)
        {
            yield return head;
        }
        yield return partition.Active;
    }

    /// <summary>Must hold <see cref="_lock"/>.</summary>
    private Partition GetOrCreatePartitionLocked(int day)
    {
        if (!_partitions.TryGetValue(day, out var partition))
        {
            partition = new Partition(day, Path.Combine(_partitionsDirectory, Partition.DirectoryName(day)), NewHead());
            _partitions.Add(day, partition);
        }
        return partition;
    }

    private PartitionHead NewHead() => new(Interlocked.Increment(ref _headSequence), _pagePool);

    private void ReportCorrupt(Part part, string problem)
    {
        lock (_reportedCorrupt)
        {
            // One report per part and problem is enough for an operator; a query loop must not flood the log.
            if (!_reportedCorrupt.Add(part.FileName + problem))
            {
                return;
            }
        }
        _log($"log store: corrupt part {part.Path}: {problem}; skipped");
    }

    private void LoadPartitions()
    {
        foreach (var directory in Directory.EnumerateDirectories(_partitionsDirectory))
        {
            if (!Partition.TryParseDirectoryName(Path.GetFileName(directory), out var day))
            {
                _log($"log store: ignoring {directory}: not a partition (YYYYMMDD)");
                continue;
            }
            var files = new List<(long First, long Last, string Path)>();
            foreach (var path in Directory.EnumerateFiles(directory))
            {
                var name = Path.GetFileName(path);
                if (name.EndsWith(PartFile.TemporaryExtension, StringComparison.Ordinal))
                {
                    // A flush or merge that did not finish: its inputs are still there.
                    File.Delete(path);
                }
                else if (PartFile.TryParseName(name, out var first, out var last))
                {
                    files.Add((first, last, path));
                    _partSequence = Math.Max(_partSequence, last);
                }
            }
            Partition partition;
            lock (_lock)
            {
                partition = GetOrCreatePartitionLocked(day);
            }
            foreach (var (first, last, path) in files)
            {
                if (files.Exists(other => other.Path != path && other.First <= first && last <= other.Last
                    && (other.First != first || other.Last != last)))
                {
                    // Input of a merge whose output was committed before the inputs were deleted.
                    File.Delete(path);
                    continue;
                }
                try
                {
                    partition.Parts.Add(Part.Open(path, _registry));
                }
                catch (Exception e) when (e is InvalidDataException or IOException or OverflowException or ZstdSharp.ZstdException)
                {
                    _corruptParts.Add(path);
                    _log($"log store: corrupt part {path}: {e.Message}; skipped");
                }
            }
            partition.Parts.Sort((a, b) => a.FirstSequence.CompareTo(b.FirstSequence));
        }
    }

    /// <summary>Sorts label sets for results.</summary>
    private static int CompareLabels(LabelSet a, LabelSet b) => LabelSetOrder.ByLabels(a, b);
}
