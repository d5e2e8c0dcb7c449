namespace Kansoku.Core.Labels;

/// <summary>Lookup in labels sorted by name (ordinal), as every label collection here keeps them.</summary>
public static class LabelSearch
{
    /// <summary>The index of <paramref name="name"/>, or -1.</summary>
    public static int IndexOf(ReadOnlySpan<Label> sortedLabels, string name)
    {
        var low = 0;
        var high = sortedLabels.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var comparison = string.CompareOrdinal(sortedLabels[middle].Name, name);
            if (comparison == 0)
            {
                return middle;
            }
            if (comparison < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return -1;
    }
}
