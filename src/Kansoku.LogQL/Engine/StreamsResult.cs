namespace Kansoku.LogQL.Engine;

/// <summary>A log query's result: streams sorted by labels, each with its entries in the query's direction.</summary>
internal sealed class StreamsResult(IReadOnlyList<LogStream> streams, QueryStatistics statistics) : QueryResult(statistics)
{
    public override string ResultType => "streams";

    public IReadOnlyList<LogStream> Streams { get; } = streams;

    /// <summary>The number of entries over all streams.</summary>
    public int EntryCount
    {
        get
        {
            var count = 0;
            foreach (var stream in Streams)
            {
                count += stream.Entries.Count;
            }
            return count;
        }
    }
}
