using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.RemoteWrite.Tests;

/// <summary>
/// A sample store that keeps what is committed and refuses as a TSDB head does: a sample older than its series' newest
/// is out of order, the same timestamp with another value a duplicate. <see cref="FailCommits"/> makes Commit throw, as
/// a failing disk would.
/// </summary>
internal sealed class RecordingAppendable : ISampleAppendable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<LabelSet, List<(long TimestampMs, double Value)>> _series = [];

    public bool FailCommits { get; set; }

    public int Commits { get; private set; }

    public ISampleAppender Appender() => new Transaction(this);

    /// <summary>The committed samples of one series, oldest first (empty when none).</summary>
    public IReadOnlyList<(long TimestampMs, double Value)> Samples(LabelSet labels)
    {
        lock (_lock)
        {
            return _series.TryGetValue(labels, out var samples) ? [.. samples] : [];
        }
    }

    public IReadOnlyList<LabelSet> Series()
    {
        lock (_lock)
        {
            return [.. _series.Keys];
        }
    }

    public int SampleCount()
    {
        lock (_lock)
        {
            var count = 0;
            foreach (var samples in _series.Values)
            {
                count += samples.Count;
            }
            return count;
        }
    }

    private sealed class Transaction(RecordingAppendable store) : ISampleAppender
    {
        private readonly List<(LabelSet Labels, long TimestampMs, double Value)> _pending = [];

        public ulong Append(ulong seriesRef, LabelSet labels, long timestampMs, double value)
        {
            if (!labels.Has("__name__"))
            {
                throw new SampleRejectedException(SampleRejection.InvalidLabels, "no metric name");
            }
            var newest = Newest(labels);
            if (newest is { } last && timestampMs < last.TimestampMs)
            {
                throw new SampleRejectedException(SampleRejection.OutOfOrder, "out of order sample");
            }
            if (newest is { } same && timestampMs == same.TimestampMs
                && BitConverter.DoubleToUInt64Bits(value) != BitConverter.DoubleToUInt64Bits(same.Value))
            {
                throw new SampleRejectedException(SampleRejection.DuplicateTimestamp, "duplicate sample for timestamp");
            }
            _pending.Add((labels, timestampMs, value));
            return labels.Hash;
        }

        private (long TimestampMs, double Value)? Newest(LabelSet labels)
        {
            for (var i = _pending.Count - 1; i >= 0; i--)
            {
                if (_pending[i].Labels.Equals(labels))
                {
                    return (_pending[i].TimestampMs, _pending[i].Value);
                }
            }
            lock (store._lock)
            {
                return store._series.TryGetValue(labels, out var samples) && samples.Count > 0 ? samples[^1] : null;
            }
        }

        public void Commit()
        {
            if (store.FailCommits)
            {
                throw new IOException("disk full");
            }
            lock (store._lock)
            {
                foreach (var (labels, timestamp, value) in _pending)
                {
                    if (!store._series.TryGetValue(labels, out var samples))
                    {
                        store._series[labels] = samples = [];
                    }
                    samples.Add((timestamp, value));
                }
                store.Commits++;
            }
            _pending.Clear();
        }

        public void Rollback() => _pending.Clear();
    }
}
