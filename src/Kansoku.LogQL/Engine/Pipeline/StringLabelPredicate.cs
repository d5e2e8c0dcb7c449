using Kansoku.Core.Labels;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary><c>name="v"</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>: an absent label reads as "", and <c>__error__</c> reads the entry's error.</summary>
internal sealed class StringLabelPredicate(LabelMatcher matcher) : LabelPredicate
{
    private readonly bool _isError = matcher.Name == LokiLabels.Error;

    public override bool Test(LabelsBuilder labels) =>
        matcher.Matches(_isError ? labels.Error : labels.GetOrEmpty(matcher.Name));

    public override void AddRequiredLabels(List<string> names) => names.Add(matcher.Name);
}
