using Kansoku.Core.Labels;

namespace Kansoku.LogStore.Parts;

/// <summary>One stream's entry in a part's index: its labels and its blocks in time order (they do not overlap).</summary>
internal sealed class PartStream
{
    public PartStream(LabelSet labels, BlockMeta[] blocks)
    {
        Labels = labels;
        Blocks = blocks;
        MinTimestamp = blocks[0].MinTimestamp;
        foreach (var block in blocks)
        {
            MaxTimestamp = Math.Max(MaxTimestamp, block.MaxTimestamp);
            Entries += block.Entries;
            RawBytes += block.RawBytes;
        }
    }

    public LabelSet Labels { get; }

    /// <summary>The store's id of <see cref="Labels"/> (set when the part is opened; not stored).</summary>
    public int StreamId { get; set; }

    public BlockMeta[] Blocks { get; }
    public long MinTimestamp { get; }
    public long MaxTimestamp { get; } = long.MinValue;
    public long Entries { get; }
    public long RawBytes { get; }

    public bool Overlaps(long start, long end) => MinTimestamp < end && MaxTimestamp >= start;

    /// <summary>Index of the first block that can hold entries at or after <paramref name="start"/>.</summary>
    public int FirstBlockAtOrAfter(long start)
    {
        var low = 0;
        var high = Blocks.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (Blocks[middle].MaxTimestamp < start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}
