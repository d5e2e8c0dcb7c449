using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Relabel;

/// <summary>
/// A mutable label set for relabelling and target building (Prometheus' labels.Builder): set, delete, read, then
/// <see cref="Build"/>. Setting "" deletes, as a <see cref="LabelSet"/> has no empty values. Target label sets hold a few
/// dozen labels, so a list searched linearly beats a dictionary. Not thread-safe; reuse one per thread with
/// <see cref="Reset(LabelSet)"/>.
/// </summary>
internal sealed class LabelBuilder
{
    private readonly List<Label> _labels = [];
    private LabelSet _base = LabelSet.Empty;
    private bool _changed;

    public LabelBuilder Reset(LabelSet labels)
    {
        _labels.Clear();
        _labels.AddRange(labels.AsSpan());
        _base = labels;
        _changed = false;
        return this;
    }

    public int Count => _labels.Count;

    public string Get(string name)
    {
        var index = IndexOf(name);
        return index < 0 ? "" : _labels[index].Value;
    }

    public void Set(string name, string value)
    {
        var index = IndexOf(name);
        if (value.Length == 0)
        {
            Delete(index);
            return;
        }
        if (index < 0)
        {
            _labels.Add(new Label(name, value));
        }
        else if (!string.Equals(_labels[index].Value, value, StringComparison.Ordinal))
        {
            _labels[index] = new Label(name, value);
        }
        else
        {
            return;
        }
        _changed = true;
    }

    public void Delete(string name) => Delete(IndexOf(name));

    /// <summary>The current labels copied into <paramref name="buffer"/>, so a caller can change the builder while walking them.</summary>
    public ReadOnlySpan<Label> Snapshot(ref Label[] buffer)
    {
        if (buffer.Length < _labels.Count)
        {
            buffer = new Label[Math.Max(_labels.Count, buffer.Length * 2)];
        }
        _labels.CopyTo(buffer);
        return buffer.AsSpan(0, _labels.Count);
    }

    /// <summary>The labels as a set; the one given to <see cref="Reset(LabelSet)"/> when nothing changed.</summary>
    public LabelSet Build() => _changed ? LabelSet.From(_labels) : _base;

    private void Delete(int index)
    {
        if (index >= 0)
        {
            _labels.RemoveAt(index);
            _changed = true;
        }
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _labels.Count; i++)
        {
            if (string.Equals(_labels[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
