namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>A series' value at the current step.</summary>
internal readonly record struct StepSample(LabelList Labels, double Value);
