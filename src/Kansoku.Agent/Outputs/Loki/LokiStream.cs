namespace Kansoku.Agent.Outputs.Loki;

/// <summary>The entries of one label set within a push.</summary>
internal sealed class LokiStream
{
    public LokiStream(string labels, KeyValuePair<string, string>[] pairs)
    {
        Labels = labels;
        Pairs = pairs;
    }

    /// <summary>Loki's label string, <c>{app="web", namespace="default"}</c>, sorted by name.</summary>
    public string Labels { get; }

    public KeyValuePair<string, string>[] Pairs { get; }

    public List<LokiEntry> Entries { get; } = [];
}
