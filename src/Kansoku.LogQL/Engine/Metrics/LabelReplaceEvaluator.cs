using System.Text.RegularExpressions;
using Kansoku.Core.Labels;
using Kansoku.LogQL.Engine.Go;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// <c>label_replace(v, "dst", "$1", "src", "re")</c>: when the anchored regex matches the source label's value, the
/// expanded replacement becomes the destination label (an empty result removes it); otherwise the series is unchanged.
/// </summary>
internal sealed class LabelReplaceEvaluator(StepEvaluator inner, Regex regex, string destination, string replacement, string source)
    : StepEvaluator
{
    private readonly Dictionary<LabelList, LabelList> _memo = [];
    private readonly List<StepSample> _vector = [];

    public override bool Next(out long timestampMs, out List<StepSample> vector)
    {
        vector = _vector;
        _vector.Clear();
        if (!inner.Next(out timestampMs, out var input))
        {
            return false;
        }
        foreach (var sample in input)
        {
            _vector.Add(sample with { Labels = Replace(sample.Labels) });
        }
        return true;
    }

    public override void Dispose() => inner.Dispose();

    private LabelList Replace(LabelList labels)
    {
        if (_memo.TryGetValue(labels, out var replaced))
        {
            return replaced;
        }
        var match = regex.Match(labels.Get(source));
        replaced = labels;
        if (match.Success)
        {
            var value = GoRegexExpand.Expand(replacement, match);
            var list = new List<Label>(labels.Count + 1);
            foreach (var label in labels.AsSpan())
            {
                if (label.Name != destination)
                {
                    list.Add(label);
                }
            }
            if (value.Length > 0)
            {
                list.Add(new Label(destination, value));
            }
            replaced = LabelList.From(list);
        }
        _memo[labels] = replaced;
        return replaced;
    }
}
