namespace Kansoku.LogQL.Engine;

/// <summary>A point of a series: Unix milliseconds and value.</summary>
internal readonly record struct SamplePoint(long TimestampMs, double Value);
