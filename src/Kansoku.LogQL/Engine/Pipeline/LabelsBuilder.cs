using System.IO.Hashing;
using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// The labels of the entry a pipeline is processing (Loki's <c>LabelsBuilder</c>): the stream's labels, the labels
/// parsers and formatters set (which win over stream labels of the same name), the deleted names, and the error.
/// One builder serves a whole query: <see cref="Reset"/> points it at the next entry's stream.
/// </summary>
internal sealed class LabelsBuilder
{
    private readonly List<string> _deleted = [];
    private readonly List<Label> _added = [];
    private readonly LabelListCache _cache;
    private readonly XxHash64 _hasher = new();
    private Label[] _scratch = new Label[16];
    private LabelSet _base = LabelSet.Empty;
    private LabelList _baseList = LabelList.Empty;

    public LabelsBuilder(ParserHints hints, LabelListCache cache)
    {
        Hints = hints;
        _cache = cache;
    }

    public ParserHints Hints { get; }

    /// <summary>The <c>__error__</c> value, "" when none.</summary>
    public string Error { get; private set; } = "";

    /// <summary>The <c>__error_details__</c> value, "" when none.</summary>
    public string ErrorDetails { get; private set; } = "";

    public bool HasError => Error.Length > 0;

    private bool Unchanged => _added.Count == 0 && _deleted.Count == 0 && Error.Length == 0;

    /// <summary>The reader positioned on the entry, whose line may come split into JSON leaves (<c>| json</c> uses them).</summary>
    public ILogStreamReader? Source { get; private set; }

    /// <summary>
    /// Starts a new entry of the stream with labels <paramref name="baseLabels"/> (<paramref name="baseList"/>), read from
    /// <paramref name="source"/>.
    /// </summary>
    public void Reset(LabelSet baseLabels, LabelList baseList, ILogStreamReader? source)
    {
        _base = baseLabels;
        _baseList = baseList;
        Source = source;
        _deleted.Clear();
        _added.Clear();
        Error = "";
        ErrorDetails = "";
        Hints.Reset();
    }

    /// <summary>Whether the stream itself has the label (even if a stage deleted it): parsed names then get <c>_extracted</c>.</summary>
    public bool BaseHas(string name) => _base.Has(name);

    /// <summary>Loki's <c>Get</c>: a set label (even empty), else a stream label that was not deleted.</summary>
    public bool TryGet(string name, out string value)
    {
        foreach (var label in _added)
        {
            if (string.Equals(label.Name, name, StringComparison.Ordinal))
            {
                value = label.Value;
                return true;
            }
        }
        foreach (var deleted in _deleted)
        {
            if (string.Equals(deleted, name, StringComparison.Ordinal))
            {
                value = "";
                return false;
            }
        }
        value = _base.Get(name);
        return value.Length > 0;
    }

    public string GetOrEmpty(string name) => TryGet(name, out var value) ? value : "";

    /// <summary>Sets a parsed label (replacing any stage-set or stream value) and records it as extracted.</summary>
    public void Set(string name, string value)
    {
        for (var i = 0; i < _added.Count; i++)
        {
            if (string.Equals(_added[i].Name, name, StringComparison.Ordinal))
            {
                _added[i] = new Label(name, value);
                return;
            }
        }
        _added.Add(new Label(name, value));
        Hints.RecordExtracted(name);
    }

    public void Delete(string name)
    {
        for (var i = _added.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_added[i].Name, name, StringComparison.Ordinal))
            {
                _added.RemoveAt(i);
            }
        }
        _deleted.Add(name);
    }

    /// <summary>Sets <c>__error__</c> (and the details when given), marking the series as requested when the query groups by it.</summary>
    public void SetError(string error, string? details)
    {
        Error = error;
        if (details is not null)
        {
            ErrorDetails = details;
        }
        if (Hints.PreserveError)
        {
            Set(LokiLabels.PreserveError, "true");
        }
    }

    public void ResetError() => Error = "";

    public void ResetErrorDetails() => ErrorDetails = "";

    /// <summary>The entry's labels: stream labels not deleted or overridden, set labels, then the error labels.</summary>
    public LabelList Labels()
    {
        if (Unchanged)
        {
            return _baseList;
        }
        var count = CollectUnsorted(includeErrors: true);
        return FromScratch(count);
    }

    /// <summary>
    /// The series labels a sample extractor reports (Loki's <c>GroupedLabels</c>): all labels when the entry has an
    /// error (so that it is not lost), none for an aggregation to one series, else the grouping applied.
    /// </summary>
    public LabelList GroupedLabels(string[] sortedGroups, bool without, bool noLabels)
    {
        if (HasError)
        {
            return Labels();
        }
        if (noLabels)
        {
            return LabelList.Empty;
        }
        if (sortedGroups.Length == 0)
        {
            return Labels();
        }
        var count = without ? CollectWithout(sortedGroups) : CollectBy(sortedGroups);
        return FromScratch(count);
    }

    /// <summary>Fills <paramref name="map"/> with the current labels (template data), errors included.</summary>
    public void CopyTo(Dictionary<string, string> map)
    {
        var count = Unchanged ? CopyBase() : CollectUnsorted(includeErrors: true);
        for (var i = 0; i < count; i++)
        {
            map[_scratch[i].Name] = _scratch[i].Value;
        }
    }

    /// <summary>The current labels, errors excluded (<c>keep</c> deletes the ones it does not list).</summary>
    public void CurrentLabels(List<Label> labels)
    {
        labels.Clear();
        var count = Unchanged ? CopyBase() : CollectUnsorted(includeErrors: false);
        for (var i = 0; i < count; i++)
        {
            labels.Add(_scratch[i]);
        }
    }

    private int CopyBase()
    {
        var labels = _base.AsSpan();
        EnsureScratch(labels.Length);
        labels.CopyTo(_scratch);
        return labels.Length;
    }

    private int CollectUnsorted(bool includeErrors)
    {
        var labels = _base.AsSpan();
        EnsureScratch(labels.Length + _added.Count + 2);
        var count = 0;
        foreach (var label in labels)
        {
            if (!IsDeleted(label.Name) && !IsAdded(label.Name))
            {
                _scratch[count++] = label;
            }
        }
        foreach (var label in _added)
        {
            _scratch[count++] = label;
        }
        if (includeErrors)
        {
            if (Error.Length > 0)
            {
                _scratch[count++] = new Label(LokiLabels.Error, Error);
            }
            if (ErrorDetails.Length > 0)
            {
                _scratch[count++] = new Label(LokiLabels.ErrorDetails, ErrorDetails);
            }
        }
        return count;
    }

    private int CollectBy(string[] sortedGroups)
    {
        EnsureScratch(sortedGroups.Length);
        var count = 0;
        foreach (var group in sortedGroups)
        {
            // Loki looks at deletions first: a label deleted and then set again does not group.
            if (IsDeleted(group))
            {
                continue;
            }
            var found = false;
            foreach (var label in _added)
            {
                if (string.Equals(label.Name, group, StringComparison.Ordinal))
                {
                    _scratch[count++] = label;
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                var value = _base.Get(group);
                if (value.Length > 0)
                {
                    _scratch[count++] = new Label(group, value);
                }
            }
        }
        return count;
    }

    private int CollectWithout(string[] sortedGroups)
    {
        var labels = _base.AsSpan();
        EnsureScratch(labels.Length + _added.Count);
        var count = 0;
        foreach (var label in labels)
        {
            if (!IsDeleted(label.Name) && !IsAdded(label.Name) && Array.BinarySearch(sortedGroups, label.Name, StringComparer.Ordinal) < 0)
            {
                _scratch[count++] = label;
            }
        }
        foreach (var label in _added)
        {
            if (Array.BinarySearch(sortedGroups, label.Name, StringComparer.Ordinal) < 0)
            {
                _scratch[count++] = label;
            }
        }
        return count;
    }

    private LabelList FromScratch(int count)
    {
        var labels = _scratch.AsSpan(0, count);
        SortByName(labels);
        count = RemoveDuplicateNames(labels);
        labels = labels[..count];
        return _cache.Get(labels, LabelList.ComputeHash(labels, _hasher));
    }

    private bool IsDeleted(string name)
    {
        foreach (var deleted in _deleted)
        {
            if (string.Equals(deleted, name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private bool IsAdded(string name)
    {
        foreach (var label in _added)
        {
            if (string.Equals(label.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private void EnsureScratch(int size)
    {
        if (_scratch.Length < size)
        {
            _scratch = new Label[Math.Max(size, _scratch.Length * 2)];
        }
    }

    /// <summary>Insertion sort: label counts are small and it allocates nothing.</summary>
    private static void SortByName(Span<Label> labels)
    {
        for (var i = 1; i < labels.Length; i++)
        {
            var current = labels[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(labels[j].Name, current.Name) > 0)
            {
                labels[j + 1] = labels[j];
                j--;
            }
            labels[j + 1] = current;
        }
    }

    /// <summary>A parsed key named like an error label can collide with it; the later one (the error) wins.</summary>
    private static int RemoveDuplicateNames(Span<Label> sorted)
    {
        if (sorted.Length < 2)
        {
            return sorted.Length;
        }
        var write = 0;
        for (var read = 1; read < sorted.Length; read++)
        {
            if (string.Equals(sorted[read].Name, sorted[write].Name, StringComparison.Ordinal))
            {
                sorted[write] = sorted[read];
            }
            else
            {
                sorted[++write] = sorted[read];
            }
        }
        return write + 1;
    }
}
