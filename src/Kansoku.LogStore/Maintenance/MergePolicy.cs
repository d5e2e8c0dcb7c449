using Kansoku.LogStore.Parts;

namespace Kansoku.LogStore.Maintenance;

/// <summary>
/// Which parts of a partition to merge: a run of adjacent parts (adjacent in age, so entries with equal timestamps keep
/// their order) of 2 to maxParts parts, none past the size cap, whose total is at least twice its largest part (so a big
/// part is not rewritten to absorb a small one: each byte is rewritten O(log n) times). The best run has the highest
/// total/largest ratio, then the most parts.
/// </summary>
internal static class MergePolicy
{
    private const double MinGain = 2.0;

    public static (int Start, int Count)? Pick(IReadOnlyList<Part> parts, int maxParts, long maxPartBytes)
    {
        (int Start, int Count)? best = null;
        var bestGain = 0.0;
        for (var start = 0; start < parts.Count; start++)
        {
            long total = 0;
            long largest = 0;
            for (var count = 1; count <= maxParts && start + count <= parts.Count; count++)
            {
                var bytes = parts[start + count - 1].FileBytes;
                if (bytes >= maxPartBytes)
                {
                    break;
                }
                total += bytes;
                largest = Math.Max(largest, bytes);
                if (count < 2 || total > maxPartBytes)
                {
                    continue;
                }
                var gain = (double)total / Math.Max(largest, 1);
                if (gain >= MinGain && (gain > bestGain || (gain == bestGain && count > best!.Value.Count)))
                {
                    best = (start, count);
                    bestGain = gain;
                }
            }
        }
        return best;
    }
}
