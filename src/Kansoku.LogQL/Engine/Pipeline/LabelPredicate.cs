namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>A compiled label filter condition.</summary>
internal abstract class LabelPredicate
{
    public abstract bool Test(LabelsBuilder labels);

    public abstract void AddRequiredLabels(List<string> names);
}
