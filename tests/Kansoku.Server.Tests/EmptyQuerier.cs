using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;

namespace Kansoku.Server.Tests;

/// <summary>A store with nothing in it, for tests of ingest that never query.</summary>
internal sealed class EmptyQuerier : ILogQuerier
{
    public IReadOnlyList<ILogStreamReader> Select(LogSelect select) => [];
    public IReadOnlyList<LabelSet> Series(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano) => [];
    public IReadOnlyList<string> LabelNames(long startUnixNano, long endUnixNano) => [];
    public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano) => [];
    public LogIndexStats Stats(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano) => default;
}
