namespace Kansoku.Scrape.KubeState;

/// <summary>A family's identity as kube-state-metrics declares it; the samples come from the objects in the cache.</summary>
internal sealed record KubeStateDescriptor(string Name, string Help, string Type);
