namespace Kansoku.Tsdb.Head;

/// <summary>A sample appended but not yet committed.</summary>
internal readonly record struct PendingSample(MemSeries Series, long TimestampMs, double Value);
