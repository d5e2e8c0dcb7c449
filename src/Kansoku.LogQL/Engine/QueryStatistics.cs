namespace Kansoku.LogQL.Engine;

/// <summary>What a query read from the store (for Loki's <c>stats</c> block: totalEntriesProcessed, totalBytesProcessed).</summary>
internal sealed class QueryStatistics
{
    public long EntriesScanned { get; internal set; }

    public long BytesScanned { get; internal set; }
}
