namespace Kansoku.LogQL.Engine;

/// <summary>An instant query of a number (<c>1 + 1</c>): Loki's <c>scalar</c> result.</summary>
internal sealed class ScalarResult(long timestampMs, double value, QueryStatistics statistics) : QueryResult(statistics)
{
    public override string ResultType => "scalar";

    public long TimestampMs { get; } = timestampMs;

    public double Value { get; } = value;
}
