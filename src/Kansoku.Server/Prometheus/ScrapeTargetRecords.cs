using Kansoku.Core.Labels;

namespace Kansoku.Server.Prometheus;

/// <summary>A scrape target's health as <c>/api/v1/targets</c> reports it.</summary>
internal enum TargetHealth
{
    Unknown,
    Up,
    Down,
}

/// <summary>
/// A target being scraped, shaped like Prometheus' target JSON. <see cref="DiscoveredLabels"/> are the labels before
/// relabelling (with <c>__meta_*</c>), <see cref="Labels"/> those its samples get. <see cref="LastScrape"/> is null
/// before the first scrape.
/// </summary>
internal sealed record ActiveScrapeTarget(
    IReadOnlyList<Label> DiscoveredLabels,
    IReadOnlyList<Label> Labels,
    string ScrapePool,
    string ScrapeUrl,
    string GlobalUrl,
    string LastError,
    DateTimeOffset? LastScrape,
    TimeSpan LastScrapeDuration,
    TargetHealth Health,
    TimeSpan ScrapeInterval,
    TimeSpan ScrapeTimeout);

/// <summary>A discovered target that relabelling dropped: only its discovered labels and pool are known.</summary>
internal sealed record DroppedScrapeTarget(IReadOnlyList<Label> DiscoveredLabels, string ScrapePool);
