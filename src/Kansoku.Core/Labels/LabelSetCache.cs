using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Kansoku.Core.Labels;

/// <summary>
/// Label sets recently built from the same bytes (a protobuf stream's label text, a JSON label object, a <c>_bulk</c>
/// document's label values), so that a stream seen before costs a hash and a compare instead of strings and a new
/// <see cref="LabelSet"/>. Direct-mapped and lossy: a key that lands in a taken slot replaces the older one. Safe to
/// share between threads: an entry is immutable and published whole, so a reader sees an old entry or a new one.
/// Shared by the log push decoders (Server) and the remote write receiver, which keys it by a series' label fields.
/// </summary>
public sealed class LabelSetCache
{
    /// <summary>Enough for the streams of a cluster's agents; a remote write receiver sees far more series and asks for more.</summary>
    public const int DefaultSlots = 1024;

    /// <summary>Longer keys are not kept, which bounds the cache to about slots × MaxKeyBytes plus the label sets.</summary>
    private const int MaxKeyBytes = 1024;

    private readonly Entry?[] _entries;

    /// <param name="slots">How many label sets the cache holds at most; a power of two.</param>
    public LabelSetCache(int slots = DefaultSlots)
    {
        if (slots <= 0 || !BitOperations.IsPow2(slots))
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "must be a power of two");
        }
        _entries = new Entry?[slots];
    }

    /// <summary>The label set last added for these exact bytes, if it is still here.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, [NotNullWhen(true)] out LabelSet? labels)
    {
        var entry = Volatile.Read(ref _entries[SlotOf(key)]);
        if (entry is not null && key.SequenceEqual(entry.Key))
        {
            labels = entry.Labels;
            return true;
        }
        labels = null;
        return false;
    }

    /// <summary>Remembers <paramref name="labels"/> as what <paramref name="key"/> decodes to (only valid label sets belong here).</summary>
    public void Add(ReadOnlySpan<byte> key, LabelSet labels)
    {
        if (key.Length <= MaxKeyBytes)
        {
            Volatile.Write(ref _entries[SlotOf(key)], new Entry(key.ToArray(), labels));
        }
    }

    private int SlotOf(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode() & (_entries.Length - 1);
    }

    private sealed record Entry(byte[] Key, LabelSet Labels);
}
