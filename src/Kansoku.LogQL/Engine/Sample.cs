namespace Kansoku.LogQL.Engine;

/// <summary>A series' value at one time (Unix milliseconds, as Loki's JSON reports it).</summary>
internal readonly record struct Sample(LabelList Labels, long TimestampMs, double Value);
