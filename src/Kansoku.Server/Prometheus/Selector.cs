using Kansoku.Core.Labels;

namespace Kansoku.Server.Prometheus;

/// <summary>
/// A parsed PromQL selector: the matchers of <c>name{label="value"}</c> (the name as a <c>__name__</c> matcher first) and,
/// for a range selector <c>name[5m]</c>, the range. <see cref="Text"/> is the query as given.
/// </summary>
internal sealed record Selector(string Text, IReadOnlyList<LabelMatcher> Matchers, long? RangeMs)
{
    public bool IsRange => RangeMs is not null;
}
