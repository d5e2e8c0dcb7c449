namespace Kansoku.Core.Exposition;

/// <summary>The <c># TYPE</c> of a metric family in the text exposition format.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
    Untyped,
}
