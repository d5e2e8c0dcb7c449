namespace Kansoku.Tsdb.Index;

/// <summary>
/// The head's inverted index: label name -> value -> series refs. Refs are handed out in increasing order and added
/// under the head's creation lock, so each list stays sorted by appending. All members take <c>_lock</c>.
/// </summary>
internal sealed class MemPostings : IPostingsIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, List<ulong>>> _byName = new(StringComparer.Ordinal);
    private readonly List<ulong> _all = [];

    public void Add(ulong seriesRef, Core.Labels.LabelSet labels)
    {
        lock (_lock)
        {
            _all.Add(seriesRef);
            foreach (var label in labels.AsSpan())
            {
                if (!_byName.TryGetValue(label.Name, out var values))
                {
                    values = new Dictionary<string, List<ulong>>(StringComparer.Ordinal);
                    _byName.Add(label.Name, values);
                }
                if (!values.TryGetValue(label.Value, out var refs))
                {
                    refs = [];
                    values.Add(label.Value, refs);
                }
                refs.Add(seriesRef);
            }
        }
    }

    /// <summary>Removes garbage-collected series (head truncation, cold).</summary>
    public void Remove(HashSet<ulong> removed, IEnumerable<Core.Labels.LabelSet> removedLabels)
    {
        lock (_lock)
        {
            _all.RemoveAll(removed.Contains);
            foreach (var labels in removedLabels)
            {
                foreach (var label in labels.AsSpan())
                {
                    if (!_byName.TryGetValue(label.Name, out var values) || !values.TryGetValue(label.Value, out var refs))
                    {
                        continue;
                    }
                    refs.RemoveAll(removed.Contains);
                    if (refs.Count == 0)
                    {
                        values.Remove(label.Value);
                        if (values.Count == 0)
                        {
                            _byName.Remove(label.Name);
                        }
                    }
                }
            }
        }
    }

    public ulong[] Postings(string name, string value)
    {
        lock (_lock)
        {
            return _byName.TryGetValue(name, out var values) && values.TryGetValue(value, out var refs) ? [.. refs] : [];
        }
    }

    public ulong[] AllPostings()
    {
        lock (_lock)
        {
            return [.. _all];
        }
    }

    public string[] Values(string name)
    {
        string[] values;
        lock (_lock)
        {
            if (!_byName.TryGetValue(name, out var byValue))
            {
                return [];
            }
            values = [.. byValue.Keys];
        }
        Array.Sort(values, StringComparer.Ordinal);
        return values;
    }

    public string[] Names()
    {
        string[] names;
        lock (_lock)
        {
            names = [.. _byName.Keys];
        }
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <summary>Visits every label name with its value count and every pair with its series count (for the status API).</summary>
    public void VisitCardinality(Action<string, int> nameValueCount, Action<string, string, int> pairSeriesCount)
    {
        lock (_lock)
        {
            foreach (var (name, values) in _byName)
            {
                nameValueCount(name, values.Count);
                foreach (var (value, refs) in values)
                {
                    pairSeriesCount(name, value, refs.Count);
                }
            }
        }
    }
}
