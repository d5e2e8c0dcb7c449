using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Kansoku.Core.Labels;

/// <summary>
/// An immutable set of labels sorted by name, with no empty values (an empty value means "absent", as in Prometheus).
/// Identifies a log stream or a series. The hash is computed once; equality compares names and values.
/// </summary>
public sealed class LabelSet : IEquatable<LabelSet>
{
    private readonly Label[] _labels;
    private readonly ulong _hash;

    public static LabelSet Empty { get; } = new([]);

    private LabelSet(Label[] sortedLabels)
    {
        _labels = sortedLabels;
        _hash = ComputeHash(sortedLabels);
    }

    /// <summary>Builds a set from labels in any order; later duplicates of a name win; empty values are dropped.</summary>
    public static LabelSet From(IEnumerable<Label> labels)
    {
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            if (label.Value.Length == 0)
            {
                byName.Remove(label.Name);
            }
            else
            {
                byName[label.Name] = label.Value;
            }
        }
        var array = new Label[byName.Count];
        var i = 0;
        foreach (var (name, value) in byName)
        {
            array[i++] = new Label(name, value);
        }
        return array.Length == 0 ? Empty : new LabelSet(array);
    }

    public static LabelSet From(params (string Name, string Value)[] labels)
    {
        var list = new List<Label>(labels.Length);
        foreach (var (name, value) in labels)
        {
            list.Add(new Label(name, value));
        }
        return From(list);
    }

    public int Count => _labels.Length;

    public ReadOnlySpan<Label> AsSpan() => _labels;

    public Label this[int index] => _labels[index];

    /// <summary>A stable 64-bit hash of the names and values (XxHash64), the same across processes and runs.</summary>
    public ulong Hash => _hash;

    /// <summary>The value of <paramref name="name"/>, or "" when absent.</summary>
    public string Get(string name)
    {
        var index = LabelSearch.IndexOf(_labels, name);
        return index < 0 ? "" : _labels[index].Value;
    }

    public bool Has(string name) => Get(name).Length > 0;

    /// <summary>A copy with <paramref name="name"/> set to <paramref name="value"/> ("" removes it).</summary>
    public LabelSet With(string name, string value)
    {
        var list = new List<Label>(_labels.Length + 1);
        list.AddRange(_labels);
        list.Add(new Label(name, value));
        return From(list);
    }

    public bool Equals(LabelSet? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other._hash != _hash || other._labels.Length != _labels.Length)
        {
            return false;
        }
        for (var i = 0; i < _labels.Length; i++)
        {
            if (!string.Equals(_labels[i].Name, other._labels[i].Name, StringComparison.Ordinal)
                || !string.Equals(_labels[i].Value, other._labels[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode() => (int)_hash ^ (int)(_hash >> 32);

    /// <summary>Prometheus / Loki notation: <c>{app="web", namespace="shop"}</c>, values escaped as Go strings.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < _labels.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            text.Append(_labels[i].Name).Append("=\"");
            AppendEscaped(text, _labels[i].Value);
            text.Append('"');
        }
        return text.Append('}').ToString();
    }

    public static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                default: text.Append(c); break;
            }
        }
    }

    private static ulong ComputeHash(Label[] labels)
    {
        var hash = new XxHash64();
        Span<byte> separator = [0xFF];
        foreach (var label in labels)
        {
            hash.Append(MemoryMarshal.AsBytes(label.Name.AsSpan()));
            hash.Append(separator);
            hash.Append(MemoryMarshal.AsBytes(label.Value.AsSpan()));
            hash.Append(separator);
        }
        return hash.GetCurrentHashAsUInt64();
    }
}
