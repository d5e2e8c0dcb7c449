using Kansoku.Core.Labels;

namespace Kansoku.LogStore.Index;

/// <summary>
/// The order of streams in a part's index (by hash, then by labels for the rare equal hashes) and of query results
/// (by labels, so results are stable from run to run).
/// </summary>
internal static class LabelSetOrder
{
    public static int ByHash(LabelSet a, LabelSet b)
    {
        var byHash = a.Hash.CompareTo(b.Hash);
        return byHash != 0 ? byHash : ByLabels(a, b);
    }

    public static int ByLabels(LabelSet a, LabelSet b) => LabelSetComparer.Instance.Compare(a, b);
}
