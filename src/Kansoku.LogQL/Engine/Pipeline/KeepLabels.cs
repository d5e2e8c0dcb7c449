using Kansoku.Core.Labels;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| keep a, b="v"</c>: removes every label that is not listed (or whose value does not match its matcher). The
/// error labels are never removed.
/// </summary>
internal sealed class KeepLabels(IReadOnlyList<NamedLabelMatcher> labels) : Stage
{
    private readonly List<Label> _current = [];

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder builder)
    {
        if (labels.Count == 0)
        {
            return true;
        }
        builder.CurrentLabels(_current);
        foreach (var label in _current)
        {
            if (label.Name is LokiLabels.Error or LokiLabels.ErrorDetails or LokiLabels.PreserveError || Kept(label))
            {
                continue;
            }
            builder.Delete(label.Name);
        }
        return true;
    }

    private bool Kept(Label label)
    {
        foreach (var keep in labels)
        {
            if (keep.Matcher is { } matcher
                ? matcher.Name == label.Name && matcher.Matches(label.Value)
                : keep.Name == label.Name)
            {
                return true;
            }
        }
        return false;
    }
}
