using Kansoku.LogStore.Head;
using Kansoku.LogStore.Parts;

namespace Kansoku.LogStore.Query;

/// <summary>Where one stream's entries of one partition are: its part streams (oldest part first) and head snapshots (oldest first).</summary>
internal sealed class PartitionSources
{
    public List<(Part Part, PartStream Stream)> Parts { get; } = [];
    public List<HeadStreamSnapshot> Heads { get; } = [];

    public MergedCursor Open(QueryRange range, LogStoreCounters counters, Action<Part, string> reportCorrupt)
    {
        var cursors = new EntryCursor[Parts.Count + Heads.Count];
        var i = 0;
        foreach (var (part, stream) in Parts)
        {
            cursors[i++] = new BlockCursor(part, stream, range, counters, reportCorrupt);
        }
        foreach (var head in Heads)
        {
            cursors[i++] = new HeadCursor(head, range);
        }
        return new MergedCursor(cursors, range.Forward);
    }
}
