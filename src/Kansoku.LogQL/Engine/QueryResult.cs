namespace Kansoku.LogQL.Engine;

/// <summary>
/// A query's data, one of <see cref="StreamsResult"/>, <see cref="VectorResult"/>, <see cref="MatrixResult"/> or
/// <see cref="ScalarResult"/>; <see cref="ResultType"/> is Loki's <c>resultType</c>.
/// </summary>
internal abstract class QueryResult(QueryStatistics statistics)
{
    /// <summary><c>streams</c>, <c>vector</c>, <c>matrix</c> or <c>scalar</c>.</summary>
    public abstract string ResultType { get; }

    public QueryStatistics Statistics { get; } = statistics;
}
