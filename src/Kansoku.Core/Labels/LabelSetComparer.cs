namespace Kansoku.Core.Labels;

/// <summary>Prometheus' label order: label by label, name then value (ordinal), a prefix first.</summary>
public sealed class LabelSetComparer : IComparer<LabelSet>
{
    public static LabelSetComparer Instance { get; } = new();

    public int Compare(LabelSet? x, LabelSet? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }
        var left = x.AsSpan();
        var right = y.AsSpan();
        var common = Math.Min(left.Length, right.Length);
        for (var i = 0; i < common; i++)
        {
            var byName = string.CompareOrdinal(left[i].Name, right[i].Name);
            if (byName != 0)
            {
                return byName;
            }
            var byValue = string.CompareOrdinal(left[i].Value, right[i].Value);
            if (byValue != 0)
            {
                return byValue;
            }
        }
        return left.Length.CompareTo(right.Length);
    }
}
