namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>A label filter stage: keeps entries whose labels satisfy the predicate.</summary>
internal sealed class LabelFilterer(LabelPredicate predicate) : Stage
{
    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels) => predicate.Test(labels);

    public override void AddRequiredLabels(List<string> names) => predicate.AddRequiredLabels(names);
}
