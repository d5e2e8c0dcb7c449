namespace Kansoku.LogQL.Engine;

/// <summary>A range metric query's result: series sorted by labels, each with points at the steps where it has a value.</summary>
internal sealed class MatrixResult(IReadOnlyList<Series> series, QueryStatistics statistics) : QueryResult(statistics)
{
    public override string ResultType => "matrix";

    public IReadOnlyList<Series> Series { get; } = series;
}
