using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Query;

/// <summary>
/// What every cursor of a query shares: [start, end), direction, and the needles with the longest first (the rarest,
/// usually, so it is the one searched for across a whole block).
/// </summary>
internal sealed class QueryRange
{
    public QueryRange(long start, long end, LogDirection direction, IReadOnlyList<byte[]> needles)
    {
        Start = start;
        End = end;
        Direction = direction;
        var sorted = new List<byte[]>(needles.Count);
        foreach (var needle in needles)
        {
            if (needle.Length > 0)
            {
                sorted.Add(needle);
            }
        }
        sorted.Sort((a, b) => b.Length.CompareTo(a.Length));
        Needles = sorted;
        UseFilter = Index.TokenFilter.Useful(sorted);
    }

    public long Start { get; }
    public long End { get; }
    public LogDirection Direction { get; }
    public bool Forward => Direction == LogDirection.Forward;
    public IReadOnlyList<byte[]> Needles { get; }
    public bool UseFilter { get; }

    /// <summary>Everything, forward, no needles: what a merge reads.</summary>
    public static QueryRange All { get; } = new(long.MinValue, long.MaxValue, LogDirection.Forward, []);
}
