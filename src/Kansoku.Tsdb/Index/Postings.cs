namespace Kansoku.Tsdb.Index;

/// <summary>Set operations on postings: sorted arrays of distinct series ids.</summary>
internal static class Postings
{
    public static ulong[] Intersect(ulong[] left, ulong[] right)
    {
        var result = new List<ulong>(Math.Min(left.Length, right.Length));
        int i = 0, j = 0;
        while (i < left.Length && j < right.Length)
        {
            if (left[i] == right[j])
            {
                result.Add(left[i]);
                i++;
                j++;
            }
            else if (left[i] < right[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return [.. result];
    }

    /// <summary>The ids of <paramref name="left"/> that are not in <paramref name="right"/>.</summary>
    public static ulong[] Subtract(ulong[] left, ulong[] right)
    {
        if (right.Length == 0)
        {
            return left;
        }
        var result = new List<ulong>(left.Length);
        var j = 0;
        foreach (var id in left)
        {
            while (j < right.Length && right[j] < id)
            {
                j++;
            }
            if (j >= right.Length || right[j] != id)
            {
                result.Add(id);
            }
        }
        return [.. result];
    }

    public static ulong[] Union(List<ulong[]> lists)
    {
        switch (lists.Count)
        {
            case 0:
                return [];
            case 1:
                return lists[0];
        }
        var total = 0;
        foreach (var list in lists)
        {
            total += list.Length;
        }
        var all = new ulong[total];
        var offset = 0;
        foreach (var list in lists)
        {
            list.CopyTo(all, offset);
            offset += list.Length;
        }
        Array.Sort(all);
        var distinct = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (i == 0 || all[i] != all[distinct - 1])
            {
                all[distinct++] = all[i];
            }
        }
        return distinct == all.Length ? all : all.AsSpan(0, distinct).ToArray();
    }
}
