namespace Kansoku.PromQL.Engine;

/// <summary>One float sample of a series: milliseconds since the epoch and a value (Prometheus' FPoint).</summary>
internal readonly record struct FloatPoint(long TimestampMs, double Value);
