using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Index;

namespace Kansoku.Tsdb.Querying;

/// <summary>The querier of one head or block over [MinTime, MaxTime]: matchers resolved on its postings.</summary>
internal abstract class IndexQuerier(long minTime, long maxTime)
{
    protected long MinTime { get; } = minTime;

    protected long MaxTime { get; } = maxTime;

    protected abstract IPostingsIndex Index { get; }

    /// <summary>Whether ids ascend in label order (blocks), so results need no sort.</summary>
    protected abstract bool IdsInLabelOrder { get; }

    /// <summary>The series with its chunks in range, or null when it has no samples there.</summary>
    protected abstract ISeries? Series(ulong id);

    protected abstract LabelSet? Labels(ulong id);

    /// <summary>The matching series with samples in range, sorted by labels.</summary>
    public List<ISeries> Select(IReadOnlyList<LabelMatcher> matchers)
    {
        var ids = MatcherResolver.Resolve(Index, matchers);
        var result = new List<ISeries>(ids.Length);
        foreach (var id in ids)
        {
            if (Series(id) is { } series)
            {
                result.Add(series);
            }
        }
        if (!IdsInLabelOrder)
        {
            result.Sort((a, b) => LabelSetComparer.Instance.Compare(a.Labels, b.Labels));
        }
        return result;
    }

    public void CollectLabelNames(IReadOnlyList<LabelMatcher> matchers, HashSet<string> names)
    {
        if (matchers.Count == 0)
        {
            names.UnionWith(Index.Names());
            return;
        }
        foreach (var id in MatcherResolver.Resolve(Index, matchers))
        {
            if (Labels(id) is { } labels)
            {
                foreach (var label in labels.AsSpan())
                {
                    names.Add(label.Name);
                }
            }
        }
    }

    public void CollectLabelValues(string name, IReadOnlyList<LabelMatcher> matchers, HashSet<string> values)
    {
        if (matchers.Count == 0)
        {
            values.UnionWith(Index.Values(name));
            return;
        }
        foreach (var id in MatcherResolver.Resolve(Index, matchers))
        {
            var value = Labels(id)?.Get(name);
            if (!string.IsNullOrEmpty(value))
            {
                values.Add(value);
            }
        }
    }
}
