using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Head;
using Kansoku.Tsdb.Querying;
using Kansoku.Tsdb.Wal;

namespace Kansoku.Tsdb;

/// <summary>
/// Kansoku's metrics store (Prometheus' tsdb.DB): a head with a WAL for recent samples and immutable blocks for older
/// ones, compacted and expired in the background. Formats: docs/format/tsdb.md.
/// </summary>
public sealed partial class Tsdb : ISampleAppendable, ISampleQueryable, IAsyncDisposable
{
    private readonly TsdbOptions _options;
    private readonly TimeProvider _time;
    private readonly HeadBlock _head;
    private readonly WalWriter _wal;
    private readonly string _walDirectory;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _background;
    private bool _disposed;

    private Tsdb(TsdbOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        Directory.CreateDirectory(options.DataDirectory);
        _walDirectory = Path.Combine(options.DataDirectory, "wal");
        _head = new HeadBlock(options.BlockDurationMs);
        OpenBlocks();
        var minValidTime = NewestBlockMaxTime;
        var replay = WalReplay.Replay(_walDirectory, _head, minValidTime);
        WalRepaired = replay.Repaired;
        _head.Truncate(minValidTime);
        _wal = new WalWriter(_walDirectory, replay.NextSegment, options.WalSegmentBytes, options.WalFsync);
        _head.Log = _wal;
        _background = Task.WhenAll(FsyncLoopAsync(_stop.Token), CompactionLoopAsync(_stop.Token));
    }

    /// <summary>Opens (or creates) the store in <see cref="TsdbOptions.DataDirectory"/>, replaying its WAL.</summary>
    public static Tsdb Open(TsdbOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        return new Tsdb(options, time);
    }

    /// <summary>Whether opening found a torn or corrupt WAL tail and cut it off.</summary>
    public bool WalRepaired { get; }

    public ISampleAppender Appender()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _head.Appender();
    }

    public ISampleQuerier Querier(long minTimeMs, long maxTimeMs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var parts = new List<IndexQuerier>();
        var blocks = AcquireBlocks(minTimeMs, maxTimeMs, parts);
        if (!_head.IsEmpty && _head.MaxTime >= minTimeMs && _head.MinTime <= maxTimeMs)
        {
            parts.Add(new HeadQuerier(_head, minTimeMs, maxTimeMs));
        }
        return new TsdbQuerier(parts, () => ReleaseBlocks(blocks));
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _stop.CancelAsync();
        try
        {
            await _background;
        }
        catch (OperationCanceledException)
        {
        }
        lock (_compactionLock)
        {
            _wal.Dispose();
            CloseBlocks();
        }
        _stop.Dispose();
    }

    private async Task FsyncLoopAsync(CancellationToken cancellation)
    {
        if (_options.WalFsync != WalFsyncMode.Periodic)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.WalFsyncInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellation))
        {
            _wal.Sync();
        }
    }

    private async Task CompactionLoopAsync(CancellationToken cancellation)
    {
        if (!_options.BackgroundCompaction)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.CompactionInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellation))
        {
            try
            {
                Compact();
            }
            catch (IOException)
            {
                // A full disk or a vanished file: the next tick tries again; the head keeps the samples meanwhile.
            }
        }
    }
}
