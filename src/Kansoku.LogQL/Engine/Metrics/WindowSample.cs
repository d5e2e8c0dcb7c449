namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>A sample inside a range window: entry time (Unix nanoseconds) and value.</summary>
internal readonly record struct WindowSample(long Timestamp, double Value);
