using Kansoku.Core.Labels;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// Hands out one <see cref="LabelList"/> per distinct label content seen by a query, so that entries with the same
/// labels share an instance and the per-entry path allocates nothing once the lists exist. Bounded: past
/// <see cref="MaxEntries"/> distinct sets, new ones are built without being kept.
/// </summary>
internal sealed class LabelListCache
{
    private const int MaxEntries = 16384;

    private readonly Dictionary<ulong, LabelList> _byHash = [];

    public LabelList Get(ReadOnlySpan<Label> sortedLabels, ulong hash)
    {
        if (_byHash.TryGetValue(hash, out var cached))
        {
            if (LabelList.SameLabels(cached.AsSpan(), sortedLabels))
            {
                return cached;
            }
            return LabelList.FromSorted(sortedLabels, hash);
        }
        var list = LabelList.FromSorted(sortedLabels, hash);
        if (_byHash.Count < MaxEntries)
        {
            _byHash[hash] = list;
        }
        return list;
    }
}
