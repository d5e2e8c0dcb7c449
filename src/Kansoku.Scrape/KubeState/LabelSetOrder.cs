using Kansoku.Core.Labels;

namespace Kansoku.Scrape.KubeState;

/// <summary>Orders label sets label by label (name, then value, ordinally), a shorter prefix first: a stable exposition order.</summary>
internal sealed class LabelSetOrder : IComparer<LabelSet>
{
    public static LabelSetOrder Instance { get; } = new();

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
            var order = string.CompareOrdinal(left[i].Name, right[i].Name);
            if (order == 0)
            {
                order = string.CompareOrdinal(left[i].Value, right[i].Value);
            }
            if (order != 0)
            {
                return order;
            }
        }
        return left.Length.CompareTo(right.Length);
    }
}
