using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Scraping;

/// <summary>How a target's labels join the labels a sample was exposed with (Prometheus' mutateSampleLabels).</summary>
internal static class SampleLabels
{
    /// <summary>
    /// With <paramref name="honorLabels"/>, the exposed labels win and target labels only fill in what is missing.
    /// Without it, the target's labels win and each clashing exposed label is kept as <c>exported_NAME</c> (with more
    /// <c>exported_</c> prefixes while that name is taken too).
    /// </summary>
    public static LabelSet WithTarget(LabelSet exposed, LabelSet target, bool honorLabels)
    {
        if (target.Count == 0)
        {
            return exposed;
        }
        var merged = new Dictionary<string, string>(exposed.Count + target.Count, StringComparer.Ordinal);
        foreach (var label in exposed.AsSpan())
        {
            merged[label.Name] = label.Value;
        }
        List<Label>? clashes = null;
        foreach (var label in target.AsSpan())
        {
            if (merged.TryGetValue(label.Name, out var exposedValue))
            {
                if (honorLabels)
                {
                    continue;
                }
                (clashes ??= []).Add(new Label(label.Name, exposedValue));
            }
            merged[label.Name] = label.Value;
        }
        if (clashes is not null)
        {
            // Shorter names first, so `exported_a` taken by a clash of `a` pushes a clash of `exported_a` further.
            clashes.Sort((a, b) => a.Name.Length != b.Name.Length ? a.Name.Length - b.Name.Length : string.CompareOrdinal(a.Name, b.Name));
            foreach (var clash in clashes)
            {
                var name = LabelNames.ExportedPrefix + clash.Name;
                while (merged.TryGetValue(name, out var taken) && taken.Length > 0)
                {
                    name = LabelNames.ExportedPrefix + name;
                }
                merged[name] = clash.Value;
            }
        }
        var labels = new List<Label>(merged.Count);
        foreach (var (name, value) in merged)
        {
            labels.Add(new Label(name, value));
        }
        return LabelSet.From(labels);
    }
}
