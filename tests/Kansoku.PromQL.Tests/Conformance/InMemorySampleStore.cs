using Kansoku.Core.Labels;
using Kansoku.PromQL.Engine;
using Kansoku.Storage.Metrics;

namespace Kansoku.PromQL.Tests.Conformance;

/// <summary>
/// The store the conformance scripts load into. Not Kansoku.Tsdb: every <c>load</c> block starts again at t = 0, so a
/// script that loads a series twice writes samples older than the series' newest one, which the appender contract
/// (and the TSDB) rejects as out of order; the scripts expect the later load to add to, or overwrite, the series.
/// <see cref="OverwrittenOrOutOfOrder"/> counts how often that happens so the test output shows it.
/// </summary>
internal sealed class InMemorySampleStore : ISampleQueryable
{
    private readonly Dictionary<LabelSet, List<FloatPoint>> _series = [];

    public int OverwrittenOrOutOfOrder { get; private set; }

    public int SeriesCount => _series.Count;

    public void Clear() => _series.Clear();

    /// <summary>Adds a sample; a sample at an existing timestamp replaces the old value, as a later load does upstream.</summary>
    public void Add(LabelSet labels, long timestampMs, double value)
    {
        if (!_series.TryGetValue(labels, out var points))
        {
            points = [];
            _series.Add(labels, points);
        }
        if (points.Count == 0 || points[^1].TimestampMs < timestampMs)
        {
            points.Add(new FloatPoint(timestampMs, value));
            return;
        }
        OverwrittenOrOutOfOrder++;
        var index = points.BinarySearch(new FloatPoint(timestampMs, 0), TimestampComparer.Instance);
        if (index >= 0)
        {
            points[index] = new FloatPoint(timestampMs, value);
        }
        else
        {
            points.Insert(~index, new FloatPoint(timestampMs, value));
        }
    }

    public ISampleQuerier Querier(long minTimeMs, long maxTimeMs) => new WindowQuerier(this, minTimeMs, maxTimeMs);

    private sealed class TimestampComparer : IComparer<FloatPoint>
    {
        public static TimestampComparer Instance { get; } = new();

        public int Compare(FloatPoint x, FloatPoint y) => x.TimestampMs.CompareTo(y.TimestampMs);
    }

    private sealed class WindowQuerier(InMemorySampleStore store, long minTimeMs, long maxTimeMs) : ISampleQuerier
    {
        public IReadOnlyList<ISeries> Select(IReadOnlyList<LabelMatcher> matchers)
        {
            var selected = new List<ISeries>();
            foreach (var (labels, points) in store._series)
            {
                if (MatchesAll(labels, matchers))
                {
                    var inRange = Window(points);
                    if (inRange.Length > 0)
                    {
                        selected.Add(new Series(labels, inRange));
                    }
                }
            }
            selected.Sort(static (a, b) => LabelSetComparer.Instance.Compare(a.Labels, b.Labels));
            return selected;
        }

        public IReadOnlyList<string> LabelNames(IReadOnlyList<LabelMatcher> matchers)
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (labels, points) in store._series)
            {
                if (MatchesAll(labels, matchers) && Window(points).Length > 0)
                {
                    foreach (var label in labels.AsSpan())
                    {
                        names.Add(label.Name);
                    }
                }
            }
            return [.. names];
        }

        public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers)
        {
            var values = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (labels, points) in store._series)
            {
                var value = labels.Get(name);
                if (value.Length > 0 && MatchesAll(labels, matchers) && Window(points).Length > 0)
                {
                    values.Add(value);
                }
            }
            return [.. values];
        }

        public void Dispose()
        {
        }

        private FloatPoint[] Window(List<FloatPoint> points)
        {
            var window = new List<FloatPoint>();
            foreach (var point in points)
            {
                if (point.TimestampMs >= minTimeMs && point.TimestampMs <= maxTimeMs)
                {
                    window.Add(point);
                }
            }
            return [.. window];
        }

        private static bool MatchesAll(LabelSet labels, IReadOnlyList<LabelMatcher> matchers)
        {
            foreach (var matcher in matchers)
            {
                if (!matcher.Matches(labels))
                {
                    return false;
                }
            }
            return true;
        }
    }

    private sealed class Series(LabelSet labels, FloatPoint[] points) : ISeries
    {
        public LabelSet Labels => labels;

        public ISampleIterator Iterator() => new Iterator(points);
    }

    private sealed class Iterator(FloatPoint[] points) : ISampleIterator
    {
        private int _index = -1;

        public bool Next() => ++_index < points.Length || Stop();

        public bool Seek(long timestampMs)
        {
            if (_index < 0)
            {
                _index = 0;
            }
            while (_index < points.Length && points[_index].TimestampMs < timestampMs)
            {
                _index++;
            }
            return _index < points.Length;
        }

        public long TimestampMs => points[_index].TimestampMs;

        public double Value => points[_index].Value;

        private bool Stop()
        {
            _index = points.Length;
            return false;
        }
    }
}
