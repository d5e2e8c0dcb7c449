namespace Kansoku.LogQL.Engine;

/// <summary>An instant metric query's result: one sample per series, sorted by labels (unless the query sorts).</summary>
internal sealed class VectorResult(IReadOnlyList<Sample> samples, QueryStatistics statistics) : QueryResult(statistics)
{
    public override string ResultType => "vector";

    public IReadOnlyList<Sample> Samples { get; } = samples;
}
