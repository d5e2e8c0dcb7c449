using Kansoku.Core.Labels;

namespace Kansoku.Scrape.KubeState;

/// <summary>A sample one Kubernetes object contributes to one family, computed when the object is stored.</summary>
internal readonly record struct KubeStateObjectSample(KubeStateDescriptor Family, LabelSet Labels, double Value);
