using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Discovery;

/// <summary>
/// A target to scrape, built from a discovered target by <see cref="ScrapeTargetBuilder"/>.
/// </summary>
/// <param name="Labels">The labels its series get: relabelled, without any <c>__</c>-prefixed label; holds job and instance.</param>
/// <param name="RelabeledLabels">All labels after relabelling, <c>__address__</c>, <c>__scheme__</c> and the like included, <c>__meta_*</c> not.</param>
/// <param name="DiscoveredLabels">The labels before relabelling (/api/v1/targets' discoveredLabels).</param>
internal sealed record ScrapeTarget(LabelSet Labels, LabelSet RelabeledLabels, LabelSet DiscoveredLabels, Uri Url,
    TimeSpan ScrapeInterval, TimeSpan ScrapeTimeout);

/// <summary>A discovered target that relabelling dropped, kept for /api/v1/targets' droppedTargets.</summary>
internal sealed record DroppedTarget(LabelSet DiscoveredLabels);

/// <summary>What one target group yields: targets, dropped targets, and the targets that could not be built, with why.</summary>
internal sealed record ScrapeTargetSet(IReadOnlyList<ScrapeTarget> Targets, IReadOnlyList<DroppedTarget> Dropped, IReadOnlyList<string> Errors);
