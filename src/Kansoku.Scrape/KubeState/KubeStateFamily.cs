using Kansoku.Core.Labels;

namespace Kansoku.Scrape.KubeState;

/// <summary>
/// One metric family as kube-state-metrics exposes it: its name, its HELP text (with kube-state-metrics' stability prefix),
/// its type (<c>gauge</c> or <c>counter</c>) and its samples sorted by labels. Plain data for an exposition writer.
/// </summary>
internal sealed record KubeStateFamily(string Name, string Help, string Type, IReadOnlyList<KubeStateSample> Samples);

/// <summary>One sample of a family: its labels (without <c>__name__</c>) and its value.</summary>
internal readonly record struct KubeStateSample(LabelSet Labels, double Value);
