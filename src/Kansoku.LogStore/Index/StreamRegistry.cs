using Kansoku.Core.Labels;

namespace Kansoku.LogStore.Index;

/// <summary>
/// Every stream the store holds, by label set, with a small integer id (for this process only; files store label sets)
/// and postings (label name -> value -> ids), so selectors resolve to streams without touching parts, as Prometheus'
/// head index does. Dictionary keys compare whole label sets, so two sets with the same 64-bit hash stay apart.
/// Thread-safe.
/// </summary>
internal sealed class StreamRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<LabelSet, int> _ids = [];
    private readonly List<LabelSet?> _labels = [];
    private readonly Dictionary<string, Dictionary<string, List<int>>> _postings = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ids.Count;
            }
        }
    }

    public int GetOrAdd(LabelSet labels)
    {
        lock (_lock)
        {
            if (_ids.TryGetValue(labels, out var id))
            {
                return id;
            }
            id = _labels.Count;
            _labels.Add(labels);
            _ids.Add(labels, id);
            AddPostings(id, labels);
            return id;
        }
    }

    public LabelSet Labels(int id)
    {
        lock (_lock)
        {
            return _labels[id] ?? throw new InvalidOperationException($"stream {id} was pruned");
        }
    }

    /// <summary>Ids (ascending) of the streams matching every matcher; all streams for no matchers.</summary>
    public List<int> Match(IReadOnlyList<LabelMatcher> matchers)
    {
        lock (_lock)
        {
            List<int>? candidates = null;
            foreach (var matcher in matchers)
            {
                if (matcher.MatchesEmpty)
                {
                    // Also matches streams without the label: the postings of the name cannot narrow it.
                    continue;
                }
                var matching = Postings(matcher);
                candidates = candidates is null ? matching : Intersect(candidates, matching);
                if (candidates.Count == 0)
                {
                    return candidates;
                }
            }
            if (candidates is null)
            {
                candidates = new List<int>(_ids.Count);
                for (var id = 0; id < _labels.Count; id++)
                {
                    if (_labels[id] is not null)
                    {
                        candidates.Add(id);
                    }
                }
            }
            candidates.RemoveAll(id => !MatchesAll(_labels[id]!, matchers));
            return candidates;
        }
    }

    /// <summary>Forgets the streams <paramref name="isLive"/> rejects (their data is gone). Ids of the others stay.</summary>
    public void Prune(Func<int, bool> isLive)
    {
        lock (_lock)
        {
            var removed = false;
            for (var id = 0; id < _labels.Count; id++)
            {
                if (_labels[id] is { } labels && !isLive(id))
                {
                    _ids.Remove(labels);
                    _labels[id] = null;
                    removed = true;
                }
            }
            if (!removed)
            {
                return;
            }
            _postings.Clear();
            for (var id = 0; id < _labels.Count; id++)
            {
                if (_labels[id] is { } labels)
                {
                    AddPostings(id, labels);
                }
            }
        }
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

    private List<int> Postings(LabelMatcher matcher)
    {
        if (!_postings.TryGetValue(matcher.Name, out var values))
        {
            return [];
        }
        if (matcher.Type == LabelMatchType.Equal)
        {
            return values.TryGetValue(matcher.Value, out var ids) ? [.. ids] : [];
        }
        var union = new List<int>();
        foreach (var (value, ids) in values)
        {
            if (matcher.Matches(value))
            {
                union.AddRange(ids);
            }
        }
        // A stream has one value per name, so the lists are disjoint: sorting is enough.
        union.Sort();
        return union;
    }

    private static List<int> Intersect(List<int> a, List<int> b)
    {
        var result = new List<int>(Math.Min(a.Count, b.Count));
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a[i] == b[j])
            {
                result.Add(a[i]);
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return result;
    }

    private void AddPostings(int id, LabelSet labels)
    {
        foreach (var label in labels.AsSpan())
        {
            if (!_postings.TryGetValue(label.Name, out var values))
            {
                values = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                _postings.Add(label.Name, values);
            }
            if (!values.TryGetValue(label.Value, out var ids))
            {
                ids = [];
                values.Add(label.Value, ids);
            }
            ids.Add(id);
        }
    }
}
