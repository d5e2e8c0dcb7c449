using Kansoku.Core.Labels;

namespace Kansoku.PromQL.Engine;

/// <summary>What a query returns, as Prometheus' promql.Value: a scalar, a string, a vector or a matrix.</summary>
internal abstract class QueryValue;

internal sealed class ScalarValue(long timestampMs, double value) : QueryValue
{
    public long TimestampMs { get; } = timestampMs;

    public double Value { get; } = value;
}

internal sealed class StringValue(long timestampMs, string value) : QueryValue
{
    public long TimestampMs { get; } = timestampMs;

    public string Value { get; } = value;
}

/// <summary>One sample of an instant vector. <see cref="DropName"/> defers removing <c>__name__</c> to the end of evaluation (Prometheus 3).</summary>
internal readonly record struct Sample(LabelSet Metric, long TimestampMs, double Value, bool DropName = false);

/// <summary>An instant vector: at most one sample per label set.</summary>
internal sealed class VectorValue(List<Sample> samples) : QueryValue
{
    public List<Sample> Samples { get; } = samples;
}

/// <summary>One series of a matrix, points oldest first.</summary>
internal sealed class SeriesPoints(LabelSet metric, List<FloatPoint> points, bool dropName = false)
{
    public LabelSet Metric { get; set; } = metric;

    public List<FloatPoint> Points { get; } = points;

    public bool DropName { get; set; } = dropName;
}

/// <summary>A range vector or a range query's result: series sorted by labels.</summary>
internal sealed class MatrixValue(List<SeriesPoints> series) : QueryValue
{
    public List<SeriesPoints> Series { get; } = series;
}

/// <summary>A query's value with the warnings and infos raised while computing it.</summary>
internal sealed record QueryResult(QueryValue Value, IReadOnlyList<string> Warnings, IReadOnlyList<string> Infos);
