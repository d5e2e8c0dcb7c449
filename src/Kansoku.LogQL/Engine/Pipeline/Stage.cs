namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// One compiled pipeline stage. Stages never change the bytes they receive: a stage that rewrites the line points
/// <c>line</c> at memory it owns, valid until its next call.
/// </summary>
internal abstract class Stage
{
    /// <summary>Processes one entry; false drops it.</summary>
    public abstract bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels);

    /// <summary>Adds the labels this stage reads (Loki's <c>RequiredLabelNames</c>), for metric parser hints.</summary>
    public virtual void AddRequiredLabels(List<string> names)
    {
    }
}
