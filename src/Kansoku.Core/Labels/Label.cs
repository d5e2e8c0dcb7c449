namespace Kansoku.Core.Labels;

/// <summary>One label: a name and its value, as in Prometheus and Loki.</summary>
public readonly record struct Label(string Name, string Value);
