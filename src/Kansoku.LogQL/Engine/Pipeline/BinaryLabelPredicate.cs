namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>a and b</c> / <c>a or b</c>. As in Loki, <c>or</c> stops at a true left side but <c>and</c> always evaluates both,
/// so a failing conversion on the right still sets <c>__error__</c>.
/// </summary>
internal sealed class BinaryLabelPredicate(LabelPredicate left, LabelPredicate right, bool and) : LabelPredicate
{
    public override bool Test(LabelsBuilder labels)
    {
        var leftMatches = left.Test(labels);
        if (!and && leftMatches)
        {
            return true;
        }
        var rightMatches = right.Test(labels);
        return and ? leftMatches && rightMatches : rightMatches;
    }

    public override void AddRequiredLabels(List<string> names)
    {
        left.AddRequiredLabels(names);
        right.AddRequiredLabels(names);
    }
}
