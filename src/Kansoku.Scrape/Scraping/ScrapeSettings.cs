using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Scraping;

/// <summary>
/// How one scrape pool scrapes its targets: a scrape config's job settings once the configuration is resolved.
/// Limits of 0 mean "no limit", as in Prometheus.
/// </summary>
public sealed record ScrapeSettings
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Keep the exposed labels that clash with target labels (else they become <c>exported_*</c>).</summary>
    public bool HonorLabels { get; init; }

    /// <summary>Use the timestamps the target exposes (else every sample gets the scrape's time).</summary>
    public bool HonorTimestamps { get; init; } = true;

    /// <summary>More samples than this after metric relabelling fails the whole scrape.</summary>
    public int SampleLimit { get; init; }

    public int LabelLimit { get; init; }

    public int LabelNameLengthLimit { get; init; }

    public int LabelValueLengthLimit { get; init; }

    /// <summary>A larger (uncompressed) body fails the scrape.</summary>
    public long BodySizeLimit { get; init; }

    /// <summary>metric_relabel_configs applied to each new series; null drops it.</summary>
    public Func<LabelSet, LabelSet?>? MetricRelabel { get; init; }
}
