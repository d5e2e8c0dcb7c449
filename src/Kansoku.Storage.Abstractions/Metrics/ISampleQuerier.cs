using Kansoku.Core.Labels;

namespace Kansoku.Storage.Metrics;

/// <summary>
/// A consistent view of the store over a time range (Prometheus' <c>storage.Querier</c>). Holds what it reads (head
/// chunks, blocks) until disposed; series and iterators must not be used after that. Not thread-safe.
/// </summary>
public interface ISampleQuerier : IDisposable
{
    /// <summary>
    /// The series matching every matcher (Prometheus semantics: an absent label matches ""; at least one matcher must
    /// not match the empty string) that have samples in the querier's range, sorted by labels.
    /// </summary>
    IReadOnlyList<ISeries> Select(IReadOnlyList<LabelMatcher> matchers);

    /// <summary>Label names of the series matching the matchers (all series when there are none), sorted.</summary>
    IReadOnlyList<string> LabelNames(IReadOnlyList<LabelMatcher> matchers);

    /// <summary>Values of <paramref name="name"/> among the series matching the matchers, sorted.</summary>
    IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers);
}
