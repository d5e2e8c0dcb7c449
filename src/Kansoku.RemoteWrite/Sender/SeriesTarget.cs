using Kansoku.Core.Labels;

namespace Kansoku.RemoteWrite.Sender;

/// <summary>
/// What a stored series becomes at one endpoint, worked out once per series rather than per sample (Prometheus does it
/// when a series record is read): its labels after external labels and write relabelling, already as protobuf labels,
/// or nothing when relabelling drops it.
/// </summary>
internal sealed class SeriesTarget
{
    public static SeriesTarget Dropped { get; } = new(null);

    private SeriesTarget(LabelSet? labels)
    {
        Labels = labels;
        if (labels is null)
        {
            ProtoLabels = [];
            return;
        }
        ProtoLabels = new Prompb.Label[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            ProtoLabels[i] = new Prompb.Label { Name = labels[i].Name, Value = labels[i].Value };
        }
    }

    /// <summary>The labels sent, null when the series is not sent.</summary>
    public LabelSet? Labels { get; }

    /// <summary>The same labels as messages, shared by every request that carries the series (they are never modified).</summary>
    public Prompb.Label[] ProtoLabels { get; }

    public static SeriesTarget For(LabelSet stored, LabelSet externalLabels, Func<LabelSet, LabelSet?>? relabel)
    {
        var labels = WithExternalLabels(stored, externalLabels);
        if (relabel is not null)
        {
            labels = relabel(labels);
        }
        return labels is null || labels.Count == 0 ? Dropped : new SeriesTarget(labels);
    }

    /// <summary>External labels the series does not have already; its own win (processExternalLabels).</summary>
    internal static LabelSet WithExternalLabels(LabelSet labels, LabelSet externalLabels)
    {
        if (externalLabels.Count == 0)
        {
            return labels;
        }
        var merged = new List<Label>(labels.Count + externalLabels.Count);
        foreach (var external in externalLabels.AsSpan())
        {
            if (!labels.Has(external.Name))
            {
                merged.Add(external);
            }
        }
        if (merged.Count == 0)
        {
            return labels;
        }
        merged.AddRange(labels.AsSpan());
        return LabelSet.From(merged);
    }
}
