using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Blocks;
using Kansoku.Tsdb.Chunks;
using Kansoku.Tsdb.Head;

namespace Kansoku.Tsdb;

/// <summary>
/// Writes historical samples straight into blocks of a data directory (promtool tsdb create-blocks-from): series in
/// any order, each series' samples in time order. Samples are held as encoded chunks per aligned block range; when
/// more than <c>maxBufferedSamples</c> are held, every range is written out as a block. Several flushes can write
/// blocks over the same range; the store merges overlapping blocks when it next compacts. Not thread-safe.
/// Use: <c>Add</c> each sample, then <c>Finish</c>; open the store afterwards (it reads blocks at open).
/// </summary>
public sealed class BlockBackfiller
{
    private readonly string _dataDirectory;
    private readonly TimeProvider _time;
    private readonly long _blockDurationMs;
    private readonly long _maxBufferedSamples;
    private readonly Dictionary<LabelSet, BackfillSeries> _series = [];
    private readonly List<string> _written = [];
    private long _buffered;

    public BlockBackfiller(string dataDirectory, TimeProvider time, long blockDurationMs = TsdbOptions.DefaultBlockDurationMs,
        long maxBufferedSamples = 20_000_000)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockDurationMs, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedSamples, 1);
        _dataDirectory = dataDirectory;
        _time = time;
        _blockDurationMs = blockDurationMs;
        _maxBufferedSamples = maxBufferedSamples;
        Directory.CreateDirectory(dataDirectory);
    }

    public long SamplesAdded { get; private set; }

    /// <summary>Adds a sample; throws <see cref="SampleRejectedException"/> for one not after its series' previous sample or a series without a name.</summary>
    public void Add(LabelSet labels, long timestampMs, double value)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!_series.TryGetValue(labels, out var series))
        {
            if (!labels.Has("__name__"))
            {
                throw new SampleRejectedException(SampleRejection.InvalidLabels, $"series {labels} has no metric name");
            }
            series = new BackfillSeries();
            _series.Add(labels, series);
        }
        if (timestampMs <= series.LastTimestamp)
        {
            if (timestampMs == series.LastTimestamp && BitConverter.DoubleToUInt64Bits(value) == series.LastValueBits)
            {
                return;
            }
            throw new SampleRejectedException(timestampMs == series.LastTimestamp ? SampleRejection.DuplicateTimestamp : SampleRejection.OutOfOrder,
                $"sample of {labels} at {timestampMs} is not after the previous one at {series.LastTimestamp}");
        }
        series.Append(timestampMs, value, _blockDurationMs);
        SamplesAdded++;
        if (++_buffered >= _maxBufferedSamples)
        {
            Flush();
        }
    }

    /// <summary>Writes what is buffered; returns the directories of every block written.</summary>
    public IReadOnlyList<string> Finish()
    {
        Flush();
        return _written;
    }

    private void Flush()
    {
        var ranges = new SortedSet<long>();
        foreach (var series in _series.Values)
        {
            series.CloseOpenChunk();
            foreach (var chunk in series.Chunks)
            {
                ranges.Add(TimeRanges.Floor(chunk.MinTime, _blockDurationMs));
            }
        }
        var sorted = new List<KeyValuePair<LabelSet, BackfillSeries>>(_series);
        sorted.Sort((a, b) => LabelSetComparer.Instance.Compare(a.Key, b.Key));
        foreach (var start in ranges)
        {
            var inRange = new List<SeriesChunks>();
            var labels = new List<LabelSet>();
            var minTime = long.MaxValue;
            var maxTime = long.MinValue;
            foreach (var (seriesLabels, series) in sorted)
            {
                var chunks = series.ChunksIn(start, start + _blockDurationMs);
                if (chunks.Count > 0)
                {
                    inRange.Add(new SeriesChunks(seriesLabels, new HeadChunks(chunks)));
                    labels.Add(seriesLabels);
                    minTime = Math.Min(minTime, chunks[0].MinTime);
                    maxTime = Math.Max(maxTime, chunks[^1].MaxTime);
                }
            }
            // The block spans its samples (as promtool's), not the whole aligned range: the store accepts new samples
            // only after its newest block, and a backfill that ends now must not hold back the next scrape until the
            // range ends.
            var meta = inRange.Count == 0 ? null
                : BlockWriter.Write(_dataDirectory, _time, minTime, maxTime + 1, 1, null, BlockWriter.Symbols(labels), inRange);
            if (meta is not null)
            {
                _written.Add(Path.Combine(_dataDirectory, meta.Id));
            }
        }
        foreach (var series in _series.Values)
        {
            series.Chunks.Clear();
        }
        _buffered = 0;
    }

    /// <summary>One series' buffered chunks; it keeps its last sample to check order across flushes.</summary>
    private sealed class BackfillSeries
    {
        private XorAppender _open;
        private long _openEnd;

        public List<ClosedChunk> Chunks { get; } = [];

        public long LastTimestamp { get; private set; } = long.MinValue;

        public ulong LastValueBits { get; private set; }

        public void Append(long timestampMs, double value, long blockDurationMs)
        {
            if (_open.Count > 0 && (_open.Count >= MemSeries.SamplesPerChunk || timestampMs >= _openEnd))
            {
                CloseOpenChunk();
            }
            if (_open.Count == 0)
            {
                _openEnd = TimeRanges.Floor(timestampMs, blockDurationMs) + blockDurationMs;
            }
            _open.Append(timestampMs, value);
            LastTimestamp = timestampMs;
            LastValueBits = BitConverter.DoubleToUInt64Bits(value);
        }

        public void CloseOpenChunk()
        {
            if (_open.Count > 0)
            {
                Chunks.Add(new ClosedChunk(_open.MinTime, _open.MaxTime, Chunk.Seal(_open)));
                _open = default;
            }
        }

        public List<ClosedChunk> ChunksIn(long start, long end)
        {
            var result = new List<ClosedChunk>();
            foreach (var chunk in Chunks)
            {
                if (chunk.MinTime >= start && chunk.MinTime < end)
                {
                    result.Add(chunk);
                }
            }
            return result;
        }
    }
}
