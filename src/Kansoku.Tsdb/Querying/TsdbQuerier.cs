using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.Tsdb.Querying;

/// <summary>
/// The store's querier: the blocks overlapping the range and the head, their sorted results merged by labels. Holds
/// the blocks open until disposed.
/// </summary>
internal sealed class TsdbQuerier(List<IndexQuerier> parts, Action release) : ISampleQuerier
{
    private bool _disposed;

    public IReadOnlyList<ISeries> Select(IReadOnlyList<LabelMatcher> matchers)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(matchers);
        var results = new List<List<ISeries>>(parts.Count);
        foreach (var part in parts)
        {
            var selected = part.Select(matchers);
            if (selected.Count > 0)
            {
                results.Add(selected);
            }
        }
        return results.Count switch
        {
            0 => [],
            1 => results[0],
            _ => Merge(results),
        };
    }

    public IReadOnlyList<string> LabelNames(IReadOnlyList<LabelMatcher> matchers)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            part.CollectLabelNames(matchers, names);
        }
        return Sorted(names);
    }

    public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            part.CollectLabelValues(name, matchers, values);
        }
        return Sorted(values);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            release();
        }
    }

    private static string[] Sorted(HashSet<string> strings)
    {
        var array = new string[strings.Count];
        strings.CopyTo(array);
        Array.Sort(array, StringComparer.Ordinal);
        return array;
    }

    /// <summary>A k-way merge of label-sorted lists; equal label sets become one series reading all of them.</summary>
    private static List<ISeries> Merge(List<List<ISeries>> lists)
    {
        var positions = new int[lists.Count];
        var merged = new List<ISeries>();
        var same = new List<ISeries>();
        while (true)
        {
            LabelSet? smallest = null;
            for (var i = 0; i < lists.Count; i++)
            {
                if (positions[i] < lists[i].Count
                    && (smallest is null || LabelSetComparer.Instance.Compare(lists[i][positions[i]].Labels, smallest) < 0))
                {
                    smallest = lists[i][positions[i]].Labels;
                }
            }
            if (smallest is null)
            {
                return merged;
            }
            same.Clear();
            for (var i = 0; i < lists.Count; i++)
            {
                if (positions[i] < lists[i].Count && lists[i][positions[i]].Labels.Equals(smallest))
                {
                    same.Add(lists[i][positions[i]++]);
                }
            }
            merged.Add(same.Count == 1 ? same[0] : new MergedSeries(smallest, [.. same]));
        }
    }
}
