using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.Server.Tests.Prometheus;

/// <summary>
/// A small sample store for the API tests, with the contract of <see cref="ISampleQuerier"/>: series with samples in
/// the range, sorted by labels. <see cref="IteratorDelay"/> slows reads to make timeouts observable; <see cref="Failure"/>
/// makes every read throw, as a broken disk would.
/// </summary>
internal sealed class InMemorySamples : ISampleQueryable
{
    private readonly List<(LabelSet Labels, List<(long T, double V)> Samples)> _series = [];

    public TimeSpan IteratorDelay { get; set; }

    public Exception? Failure { get; set; }

    public List<(long Min, long Max)> Queriers { get; } = [];

    public InMemorySamples Add(LabelSet labels, params (long T, double V)[] samples)
    {
        _series.Add((labels, [.. samples.OrderBy(s => s.T)]));
        return this;
    }

    public ISampleQuerier Querier(long minTimeMs, long maxTimeMs)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }
        lock (Queriers)
        {
            Queriers.Add((minTimeMs, maxTimeMs));
        }
        return new RangeQuerier(this, minTimeMs, maxTimeMs);
    }

    private sealed class RangeQuerier(InMemorySamples store, long min, long max) : ISampleQuerier
    {
        public IReadOnlyList<ISeries> Select(IReadOnlyList<LabelMatcher> matchers) =>
            [.. Matching(matchers).Select(s => new Series(s.Labels, s.InRange, store.IteratorDelay))];

        public IReadOnlyList<string> LabelNames(IReadOnlyList<LabelMatcher> matchers) =>
            [.. Matching(matchers).SelectMany(s => s.Labels.AsSpan().ToArray().Select(l => l.Name)).Distinct().Order(StringComparer.Ordinal)];

        public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers) =>
            [.. Matching(matchers).Select(s => s.Labels.Get(name)).Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal)];

        public void Dispose()
        {
        }

        private IEnumerable<(LabelSet Labels, List<(long T, double V)> InRange)> Matching(IReadOnlyList<LabelMatcher> matchers) =>
            store._series
                .Where(s => matchers.All(m => m.Matches(s.Labels)))
                .Select(s => (s.Labels, InRange: s.Samples.Where(p => p.T >= min && p.T <= max).ToList()))
                .Where(s => s.InRange.Count > 0)
                .OrderBy(s => s.Labels.ToString(), StringComparer.Ordinal);
    }

    private sealed class Series(LabelSet labels, List<(long T, double V)> samples, TimeSpan delay) : ISeries
    {
        public LabelSet Labels => labels;

        public ISampleIterator Iterator() => new Iterator(samples, delay);
    }

    private sealed class Iterator(List<(long T, double V)> samples, TimeSpan delay) : ISampleIterator
    {
        private int _index = -1;

        public long TimestampMs => samples[_index].T;

        public double Value => samples[_index].V;

        public bool Next()
        {
            if (delay > TimeSpan.Zero)
            {
                Task.Delay(delay).Wait();
            }
            _index = Math.Min(_index + 1, samples.Count);
            return _index < samples.Count;
        }

        public bool Seek(long timestampMs)
        {
            if (_index < 0 && !Next())
            {
                return false;
            }
            while (_index < samples.Count && samples[_index].T < timestampMs)
            {
                _index++;
            }
            return _index < samples.Count;
        }
    }
}
