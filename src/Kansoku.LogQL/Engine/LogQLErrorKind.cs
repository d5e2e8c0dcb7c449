namespace Kansoku.LogQL.Engine;

/// <summary>Why a query failed while it ran (parse errors are <see cref="Parser.LogQLParseException"/>s).</summary>
internal enum LogQLErrorKind
{
    /// <summary>A series of a metric query carries <c>__error__</c> (Loki's "pipeline error"; HTTP 400).</summary>
    Pipeline,

    /// <summary>More series than <see cref="LogQLEngineOptions.MaxQuerySeries"/> (HTTP 400).</summary>
    SeriesLimit,

    /// <summary>A log query asked for more than <see cref="LogQLEngineOptions.MaxEntriesLimitPerQuery"/> entries (HTTP 400).</summary>
    EntriesLimit,

    /// <summary>Too many steps, or a non-positive step, for a range query (HTTP 400).</summary>
    Resolution,

    /// <summary>The query ran longer than <see cref="LogQLEngineOptions.QueryTimeout"/> (HTTP 504).</summary>
    Timeout,

    /// <summary>An evaluation error such as many-to-many matching or an instant log query (HTTP 400).</summary>
    Execution,
}
