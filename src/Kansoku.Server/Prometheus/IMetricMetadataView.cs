namespace Kansoku.Server.Prometheus;

/// <summary>
/// One metric's HELP/TYPE/UNIT as a target exposed it. <see cref="Type"/> is Prometheus' lower-case name
/// (counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown).
/// </summary>
internal sealed record MetricMetadata(string Metric, string Type, string Help, string Unit);

/// <summary>The metadata the scrape manager has cached from its targets, for <c>/api/v1/metadata</c>. Thread-safe.</summary>
internal interface IMetricMetadataView
{
    /// <summary>
    /// The metadata of every active target (one entry per target and metric; the endpoint removes duplicates), or only
    /// of <paramref name="metric"/> when it is given.
    /// </summary>
    IReadOnlyList<MetricMetadata> Metadata(string? metric);
}
