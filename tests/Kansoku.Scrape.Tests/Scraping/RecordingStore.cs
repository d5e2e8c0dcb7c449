using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.Scrape.Tests.Scraping;

/// <summary>
/// A sample store for scrape tests: keeps committed samples per series and refuses samples older than a series' newest,
/// or at its newest timestamp with another value, as the TSDB does.
/// </summary>
internal sealed class RecordingStore : ISampleAppendable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<LabelSet, List<(long T, double V)>> _series = [];
    private readonly List<LabelSet> _refs = [];

    public int Commits { get; private set; }

    public ISampleAppender Appender() => new Transaction(this);

    public List<(long T, double V)> Samples(LabelSet labels)
    {
        lock (_lock)
        {
            return _series.TryGetValue(labels, out var samples) ? [.. samples] : [];
        }
    }

    public List<LabelSet> SeriesNamed(string name)
    {
        lock (_lock)
        {
            return _series.Keys.Where(l => l.Get(LabelNames.MetricName) == name).ToList();
        }
    }

    /// <summary>The newest value of the one series with these labels; fails when absent.</summary>
    public double Last(LabelSet labels) => Samples(labels) is { Count: > 0 } samples ? samples[^1].V : throw new Xunit.Sdk.XunitException($"no samples for {labels}");

    private sealed class Transaction(RecordingStore store) : ISampleAppender
    {
        private readonly List<(LabelSet Labels, long T, double V)> _pending = [];

        public ulong Append(ulong seriesRef, LabelSet labels, long timestampMs, double value)
        {
            Assert.True(labels.Has(LabelNames.MetricName), $"series without a name: {labels}");
            lock (store._lock)
            {
                if (seriesRef != 0)
                {
                    Assert.Equal(store._refs[(int)seriesRef - 1], labels);
                }
                if (store._series.TryGetValue(labels, out var samples) && samples.Count > 0)
                {
                    var (lastT, lastV) = samples[^1];
                    if (timestampMs < lastT)
                    {
                        throw new SampleRejectedException(SampleRejection.OutOfOrder, "out of order sample");
                    }
                    if (timestampMs == lastT && BitConverter.DoubleToInt64Bits(lastV) != BitConverter.DoubleToInt64Bits(value))
                    {
                        throw new SampleRejectedException(SampleRejection.DuplicateTimestamp, "duplicate sample for timestamp");
                    }
                }
                _pending.Add((labels, timestampMs, value));
                var index = store._refs.IndexOf(labels);
                if (index < 0)
                {
                    store._refs.Add(labels);
                    index = store._refs.Count - 1;
                }
                return (ulong)index + 1;
            }
        }

        public void Commit()
        {
            lock (store._lock)
            {
                foreach (var (labels, t, v) in _pending)
                {
                    if (!store._series.TryGetValue(labels, out var samples))
                    {
                        store._series[labels] = samples = [];
                    }
                    if (samples.Count == 0 || samples[^1].T != t)
                    {
                        samples.Add((t, v));
                    }
                }
                store.Commits++;
            }
            _pending.Clear();
        }

        public void Rollback() => _pending.Clear();
    }
}
