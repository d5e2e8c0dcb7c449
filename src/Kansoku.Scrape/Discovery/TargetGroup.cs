using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Discovery;

/// <summary>
/// A set of targets with common labels from one source (Prometheus' targetgroup.Group). Each target is a label set
/// holding at least <c>__address__</c>; a target's own labels win over the group's. A group with no targets from a
/// source that had some means the source's targets are gone.
/// </summary>
/// <param name="Source">Unique within one provider, e.g. <c>pod/shop/web-1</c> or <c>/etc/prom/targets.json:0</c>.</param>
internal sealed record TargetGroup(string Source, IReadOnlyList<LabelSet> Targets, LabelSet Labels)
{
    public static TargetGroup Empty(string source) => new(source, [], LabelSet.Empty);
}
