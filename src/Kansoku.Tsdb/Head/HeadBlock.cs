using System.Collections.Concurrent;
using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Index;

namespace Kansoku.Tsdb.Head;

/// <summary>
/// The in-memory part of the store (Prometheus' Head): series by reference and by label hash, their chunks, and the
/// postings index. Lookups by ref and by hash are lock-free; creating and dropping series takes <c>_createLock</c>;
/// a commit takes <c>_commitLock</c> so that WAL order is apply order.
/// </summary>
internal sealed partial class HeadBlock
{
    private readonly ConcurrentDictionary<ulong, MemSeries> _byRef = new();
    private readonly ConcurrentDictionary<ulong, MemSeries> _byHash = new();
    private readonly Dictionary<ulong, List<MemSeries>> _hashCollisions = [];
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly Lock _createLock = new();
    private readonly Lock _commitLock = new();
    private ulong _lastRef;
    private int _seriesCount;
    private long _minTime = long.MaxValue;
    private long _maxTime = long.MinValue;
    private long _minValidTime = long.MinValue;
    private long _droppedSamples;

    public HeadBlock(long blockDurationMs)
    {
        BlockDurationMs = blockDurationMs;
    }

    public long BlockDurationMs { get; }

    public MemPostings Postings { get; } = new();

    /// <summary>The WAL, when there is one. Set before the first append.</summary>
    public IHeadLog? Log { get; set; }

    /// <summary>The oldest sample's time, or <see cref="long.MaxValue"/> when the head is empty.</summary>
    public long MinTime => Volatile.Read(ref _minTime);

    /// <summary>The newest sample's time, or <see cref="long.MinValue"/> when the head is empty.</summary>
    public long MaxTime => Volatile.Read(ref _maxTime);

    public bool IsEmpty => MaxTime == long.MinValue;

    public int SeriesCount => Volatile.Read(ref _seriesCount);

    /// <summary>Samples dropped at commit because another commit had already written a newer one for their series.</summary>
    public long DroppedSamples => Interlocked.Read(ref _droppedSamples);

    /// <summary>
    /// Samples before this are refused as too old: the head's truncation point, and half a block range before its newest
    /// sample (as Prometheus' appendableMinValidTime), so a head block is never written into twice.
    /// </summary>
    public long AppendableMinTime
    {
        get
        {
            var minValid = Volatile.Read(ref _minValidTime);
            var max = MaxTime;
            return max == long.MinValue ? minValid : Math.Max(minValid, max - (BlockDurationMs / 2));
        }
    }

    public ISampleAppender Appender() => new HeadAppender(this);

    public bool TryGetByRef(ulong seriesRef, out MemSeries series) => _byRef.TryGetValue(seriesRef, out series!);

    public MemSeries? ByLabels(LabelSet labels)
    {
        if (_byHash.TryGetValue(labels.Hash, out var series) && series.Labels.Equals(labels))
        {
            return series;
        }
        lock (_createLock)
        {
            if (_hashCollisions.TryGetValue(labels.Hash, out var collided))
            {
                foreach (var candidate in collided)
                {
                    if (candidate.Labels.Equals(labels))
                    {
                        return candidate;
                    }
                }
            }
        }
        return null;
    }

    public MemSeries GetOrCreate(LabelSet labels) => ByLabels(labels) ?? Create(labels, 0);

    /// <summary>Creates a series with a ref from the WAL, or finds the one with these labels (a checkpoint and a segment can both name it).</summary>
    public MemSeries Restore(ulong seriesRef, LabelSet labels)
    {
        var series = ByLabels(labels) ?? Create(labels, seriesRef);
        if (series.Ref != seriesRef)
        {
            _byRef.TryAdd(seriesRef, series);
        }
        return series;
    }

    /// <summary>Applies a transaction: logs it, then adds each sample to its series.</summary>
    public void Commit(ReadOnlySpan<PendingSample> samples)
    {
        lock (_commitLock)
        {
            try
            {
                Log?.LogCommit(samples);
            }
            catch
            {
                foreach (var sample in samples)
                {
                    sample.Series.Unpin();
                }
                throw;
            }
            Apply(samples);
        }
    }

    /// <summary>Adds replayed samples (no WAL write, no pins to release).</summary>
    public void Replay(ReadOnlySpan<PendingSample> samples)
    {
        lock (_commitLock)
        {
            foreach (var sample in samples)
            {
                AppendOne(sample);
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> with no commit in flight (WAL segment cuts and checkpoints).</summary>
    public void WithCommitsPaused(Action action)
    {
        lock (_commitLock)
        {
            action();
        }
    }

    /// <summary>A replayed chunk from a checkpoint, with its range counted in the head's.</summary>
    public void RestoreChunk(MemSeries series, ClosedChunk chunk)
    {
        lock (series)
        {
            series.AddClosedChunk(chunk);
        }
        ExtendRange(chunk.MinTime, chunk.MaxTime);
    }

    /// <summary>Every live series once (a replayed WAL can map two refs to one series).</summary>
    public IEnumerable<MemSeries> AllSeries()
    {
        foreach (var (reference, series) in _byRef)
        {
            if (reference == series.Ref)
            {
                yield return series;
            }
        }
    }

    /// <summary>The next ref; refs of a replayed WAL are taken into account so that new ones do not collide.</summary>
    public ulong LastRef => Volatile.Read(ref _lastRef);

    private void Apply(ReadOnlySpan<PendingSample> samples)
    {
        foreach (var sample in samples)
        {
            AppendOne(sample);
            sample.Series.Unpin();
        }
    }

    private void AppendOne(in PendingSample sample)
    {
        if (sample.TimestampMs < Volatile.Read(ref _minValidTime))
        {
            Interlocked.Increment(ref _droppedSamples);
            return;
        }
        bool appended;
        lock (sample.Series)
        {
            appended = sample.Series.Append(sample.TimestampMs, sample.Value, BlockDurationMs);
        }
        if (appended)
        {
            ExtendRange(sample.TimestampMs, sample.TimestampMs);
        }
        else if (sample.Series.LastTimestamp != sample.TimestampMs
            || sample.Series.LastValueBits != BitConverter.DoubleToUInt64Bits(sample.Value))
        {
            Interlocked.Increment(ref _droppedSamples);
        }
    }

    private void ExtendRange(long minTime, long maxTime)
    {
        // Writers hold _commitLock (or run single-threaded at open); readers only need a recent value.
        if (minTime < _minTime)
        {
            Volatile.Write(ref _minTime, minTime);
        }
        if (maxTime > _maxTime)
        {
            Volatile.Write(ref _maxTime, maxTime);
        }
    }

    private MemSeries Create(LabelSet labels, ulong seriesRef)
    {
        lock (_createLock)
        {
            if (_byHash.TryGetValue(labels.Hash, out var existing) && existing.Labels.Equals(labels))
            {
                return existing;
            }
            if (_hashCollisions.TryGetValue(labels.Hash, out var collided))
            {
                foreach (var candidate in collided)
                {
                    if (candidate.Labels.Equals(labels))
                    {
                        return candidate;
                    }
                }
            }
            if (seriesRef == 0)
            {
                seriesRef = ++_lastRef;
            }
            else if (seriesRef > _lastRef)
            {
                _lastRef = seriesRef;
            }
            var series = new MemSeries(seriesRef, Intern(labels));
            _byRef[seriesRef] = series;
            _seriesCount++;
            if (existing is null)
            {
                _byHash[labels.Hash] = series;
            }
            else
            {
                if (collided is null)
                {
                    collided = [];
                    _hashCollisions.Add(labels.Hash, collided);
                }
                collided.Add(series);
            }
            Postings.Add(seriesRef, series.Labels);
            return series;
        }
    }

    /// <summary>The labels rebuilt from shared string instances: 200k series repeat a few thousand names and values.</summary>
    private LabelSet Intern(LabelSet labels)
    {
        var interned = new Label[labels.Count];
        for (var i = 0; i < interned.Length; i++)
        {
            interned[i] = new Label(InternString(labels[i].Name), InternString(labels[i].Value));
        }
        return LabelSet.From(interned);
    }

    private string InternString(string value)
    {
        if (_strings.TryGetValue(value, out var shared))
        {
            return shared;
        }
        _strings.Add(value);
        return value;
    }
}
