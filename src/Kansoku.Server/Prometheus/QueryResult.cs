using Kansoku.Core.Labels;

namespace Kansoku.Server.Prometheus;

/// <summary>One sample of a query result: a time in milliseconds and a value.</summary>
internal readonly record struct ResultPoint(long TimestampMs, double Value);

/// <summary>A series of a query result with its points, oldest first (one point in an instant vector).</summary>
internal sealed record ResultSeries(LabelSet Labels, IReadOnlyList<ResultPoint> Points);

/// <summary>What a query evaluated to: an instant <c>vector</c> or a <c>matrix</c>, in Prometheus' terms.</summary>
internal sealed record QueryResult(bool IsMatrix, IReadOnlyList<ResultSeries> Series)
{
    public string ResultType => IsMatrix ? "matrix" : "vector";
}
