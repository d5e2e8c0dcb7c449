using Kansoku.Core.Labels;

namespace Kansoku.Server.Prometheus;

/// <summary>Prometheus' order of label sets (<c>labels.Compare</c>): pairwise by name then value, ordinal; a prefix sorts first.</summary>
internal sealed class LabelSetComparer : IComparer<LabelSet>
{
    public static LabelSetComparer Instance { get; } = new();

    public int Compare(LabelSet? x, LabelSet? y)
    {
        var left = x is null ? [] : x.AsSpan();
        var right = y is null ? [] : y.AsSpan();
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
