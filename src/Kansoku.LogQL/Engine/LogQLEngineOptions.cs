namespace Kansoku.LogQL.Engine;

/// <summary>Query limits, with Loki's defaults.</summary>
internal sealed record LogQLEngineOptions
{
    /// <summary>The largest <c>limit</c> a log query may ask for (Loki's <c>max_entries_limit_per_query</c>).</summary>
    public int MaxEntriesLimitPerQuery { get; init; } = 5000;

    /// <summary>The most series a metric query may return (Loki's <c>max_query_series</c>).</summary>
    public int MaxQuerySeries { get; init; } = 500;

    /// <summary>How long a query may run (Loki's <c>query_timeout</c>).</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The most steps of a range query (Loki refuses more than 11,000 points per series).</summary>
    public int MaxPointsPerSeries { get; init; } = 11_000;
}
