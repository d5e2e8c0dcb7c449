using Kansoku.Core.Labels;

namespace Kansoku.RemoteWrite.Sender;

/// <summary>
/// The <see cref="SeriesTarget"/> of recently sent series, so that relabelling runs once per series rather than once per
/// sample. Keyed by label equality rather than by instance (a store's callers need not reuse their LabelSets), and
/// direct-mapped and lossy like <see cref="LabelSetCache"/>: a series that lands in a taken slot replaces the older one,
/// which bounds the memory however many series come and go. Thread-safe: entries are immutable and published whole.
/// </summary>
internal sealed class SeriesTargetCache(Func<LabelSet, SeriesTarget> create)
{
    /// <summary>About the active series of a large Prometheus; a miss costs one relabelling, not a wrong answer.</summary>
    private const int Slots = 1 << 16;

    private readonly Entry?[] _entries = new Entry?[Slots];

    public SeriesTarget Get(LabelSet stored)
    {
        ref var slot = ref _entries[(int)(stored.Hash & (Slots - 1))];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && entry.Stored.Equals(stored))
        {
            return entry.Target;
        }
        var target = create(stored);
        Volatile.Write(ref slot, new Entry(stored, target));
        return target;
    }

    private sealed record Entry(LabelSet Stored, SeriesTarget Target);
}
