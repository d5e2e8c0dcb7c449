namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>The compiled stages of a log query, run in order on each entry.</summary>
internal sealed class LogPipeline(Stage[] stages)
{
    public static LogPipeline Empty { get; } = new([]);

    /// <summary>Runs the entry through every stage; false when one drops it. <paramref name="line"/> ends as the output line.</summary>
    public bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        foreach (var stage in stages)
        {
            if (!stage.Process(timestamp, ref line, labels))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The labels the stages read (Loki's <c>RequiredLabelNames</c>), for metric parser hints.</summary>
    public List<string> RequiredLabels()
    {
        var names = new List<string>();
        foreach (var stage in stages)
        {
            stage.AddRequiredLabels(names);
        }
        return names;
    }
}
