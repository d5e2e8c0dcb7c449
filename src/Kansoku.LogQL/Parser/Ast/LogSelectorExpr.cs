using Kansoku.Core.Labels;

namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// A log query: a stream selector (<c>{app="web"}</c>) and the pipeline stages applied to each entry, in order.
/// The parser guarantees at least one matcher that does not match the empty value (Loki's rule).
/// </summary>
internal sealed class LogSelectorExpr(SourceSpan span, IReadOnlyList<LabelMatcher> matchers, IReadOnlyList<PipelineStage> stages)
    : Expr(span)
{
    public IReadOnlyList<LabelMatcher> Matchers { get; } = matchers;

    public IReadOnlyList<PipelineStage> Stages { get; } = stages;
}
