namespace Kansoku.PromQL.Engine;

/// <summary>Why a query failed while it was evaluated (Prometheus' execution errors), with Prometheus' text.</summary>
internal sealed class QueryException : Exception
{
    public QueryException()
    {
    }

    public QueryException(string message)
        : base(message)
    {
    }

    public QueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static QueryException TooManySamples() =>
        new("query processing would load too many samples into memory in query execution");

    public static QueryException Timeout() => new("query timed out in query execution") { IsTimeout = true };

    /// <summary>The engine's own time limit ran out (the API answers <c>timeout</c>, not <c>execution</c>).</summary>
    public bool IsTimeout { get; private init; }
}
