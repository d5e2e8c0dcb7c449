using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Kansoku.Core.Labels;
using Kansoku.LogQL.Engine.Go;

namespace Kansoku.LogQL.Engine;

/// <summary>
/// The labels of a result stream or series: sorted by name, each name once. Unlike <see cref="LabelSet"/>, a value may
/// be empty: Loki keeps parsed labels with empty values (<c>| json age="user.age"</c> on a line without it gives
/// <c>age=""</c>, and <c>logfmt --keep-empty</c> keeps <c>key=</c>), and they show up in results.
/// </summary>
internal sealed class LabelList : IEquatable<LabelList>
{
    private readonly Label[] _labels;
    private readonly ulong _hash;
    private string? _text;

    public static LabelList Empty { get; } = new([], ComputeHash([]));

    private LabelList(Label[] sortedLabels, ulong hash)
    {
        _labels = sortedLabels;
        _hash = hash;
    }

    /// <summary>Takes ownership of <paramref name="sortedLabels"/>, which must be sorted by name without duplicates.</summary>
    public static LabelList FromSorted(Label[] sortedLabels) =>
        sortedLabels.Length == 0 ? Empty : new LabelList(sortedLabels, ComputeHash(sortedLabels));

    /// <summary>Copies <paramref name="sortedLabels"/>, which must be sorted by name without duplicates.</summary>
    public static LabelList FromSorted(ReadOnlySpan<Label> sortedLabels, ulong hash) =>
        sortedLabels.IsEmpty ? Empty : new LabelList(sortedLabels.ToArray(), hash);

    public static LabelList From(LabelSet labels) => FromSorted(labels.AsSpan().ToArray());

    /// <summary>Labels in any order; a later duplicate name wins.</summary>
    public static LabelList From(IEnumerable<Label> labels)
    {
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            byName[label.Name] = label.Value;
        }
        var array = new Label[byName.Count];
        var i = 0;
        foreach (var (name, value) in byName)
        {
            array[i++] = new Label(name, value);
        }
        return FromSorted(array);
    }

    public int Count => _labels.Length;

    public Label this[int index] => _labels[index];

    public ReadOnlySpan<Label> AsSpan() => _labels;

    /// <summary>Whether the name is present, even with an empty value.</summary>
    public bool Has(string name) => IndexOf(name) >= 0;

    /// <summary>The value of <paramref name="name"/>, or "" when absent.</summary>
    public string Get(string name)
    {
        var index = IndexOf(name);
        return index >= 0 ? _labels[index].Value : "";
    }

    /// <summary>Prometheus' order: label by label, name then value; a prefix sorts first.</summary>
    public static int Compare(LabelList left, LabelList right)
    {
        var count = Math.Min(left._labels.Length, right._labels.Length);
        for (var i = 0; i < count; i++)
        {
            var byName = string.CompareOrdinal(left._labels[i].Name, right._labels[i].Name);
            if (byName != 0)
            {
                return byName;
            }
            var byValue = string.CompareOrdinal(left._labels[i].Value, right._labels[i].Value);
            if (byValue != 0)
            {
                return byValue;
            }
        }
        return left._labels.Length.CompareTo(right._labels.Length);
    }

    public bool Equals(LabelList? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        return other is not null && other._hash == _hash && SameLabels(_labels, other._labels);
    }

    public override bool Equals(object? obj) => Equals(obj as LabelList);

    public override int GetHashCode() => (int)_hash ^ (int)(_hash >> 32);

    /// <summary>Prometheus notation with Go-quoted values: <c>{app="web", level="info"}</c>.</summary>
    public override string ToString() => _text ??= Format(_labels);

    public static bool SameLabels(ReadOnlySpan<Label> left, ReadOnlySpan<Label> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }
        for (var i = 0; i < left.Length; i++)
        {
            if (!string.Equals(left[i].Name, right[i].Name, StringComparison.Ordinal)
                || !string.Equals(left[i].Value, right[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The hash of these sorted labels, as a list built from them has, without building one.</summary>
    public static ulong ComputeHash(ReadOnlySpan<Label> sortedLabels) => ComputeHash(sortedLabels, new XxHash64());

    /// <summary>As <see cref="ComputeHash(ReadOnlySpan{Label})"/>, reusing <paramref name="hash"/> (per-entry paths).</summary>
    public static ulong ComputeHash(ReadOnlySpan<Label> sortedLabels, XxHash64 hash)
    {
        hash.Reset();
        ReadOnlySpan<byte> separator = [0xFF];
        foreach (var label in sortedLabels)
        {
            hash.Append(MemoryMarshal.AsBytes(label.Name.AsSpan()));
            hash.Append(separator);
            hash.Append(MemoryMarshal.AsBytes(label.Value.AsSpan()));
            hash.Append(separator);
        }
        return hash.GetCurrentHashAsUInt64();
    }

    private static string Format(Label[] labels)
    {
        var text = new StringBuilder("{");
        for (var i = 0; i < labels.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            text.Append(labels[i].Name).Append('=');
            GoStrings.AppendQuoted(text, labels[i].Value);
        }
        return text.Append('}').ToString();
    }

    private int IndexOf(string name) => LabelSearch.IndexOf(_labels, name);
}
