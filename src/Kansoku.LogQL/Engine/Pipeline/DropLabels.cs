using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| drop a, b="v"</c>: removes the named labels (a matcher only when the value matches). Dropping
/// <c>__error__</c> or <c>__error_details__</c> clears the entry's error.
/// </summary>
internal sealed class DropLabels(IReadOnlyList<NamedLabelMatcher> labels) : Stage
{
    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder builder)
    {
        foreach (var drop in labels)
        {
            var name = drop.Matcher?.Name ?? drop.Name;
            if (name == LokiLabels.Error)
            {
                if (drop.Matcher is null || drop.Matcher.Matches(builder.Error))
                {
                    builder.ResetError();
                }
                continue;
            }
            if (name == LokiLabels.ErrorDetails)
            {
                if (drop.Matcher is null || drop.Matcher.Matches(builder.ErrorDetails))
                {
                    builder.ResetErrorDetails();
                }
                continue;
            }
            if (drop.Matcher is null)
            {
                if (builder.TryGet(name, out _))
                {
                    builder.Delete(name);
                }
            }
            else if (drop.Matcher.Matches(builder.GetOrEmpty(name)))
            {
                builder.Delete(name);
            }
        }
        return true;
    }
}
