using Kansoku.Core.Labels;

namespace Kansoku.Storage.Logs;

/// <summary>What LogQL and the Loki API read.</summary>
public interface ILogQuerier
{
    /// <summary>One reader per matching stream that has entries in the range. Each must be disposed.</summary>
    IReadOnlyList<ILogStreamReader> Select(LogSelect select);

    /// <summary>Label sets of the streams with entries in [start, end) that match every matcher (Loki's /series).</summary>
    IReadOnlyList<LabelSet> Series(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano);

    /// <summary>Label names of streams with entries in [start, end), sorted (Loki's /labels).</summary>
    IReadOnlyList<string> LabelNames(long startUnixNano, long endUnixNano);

    /// <summary>Values of <paramref name="name"/> among matching streams in [start, end), sorted (Loki's /label/{name}/values).</summary>
    IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano);

    /// <summary>Counts for Loki's /index/stats.</summary>
    LogIndexStats Stats(IReadOnlyList<LabelMatcher> matchers, long startUnixNano, long endUnixNano);
}

/// <summary>Loki's index stats: streams, chunks (our blocks), entries and bytes (uncompressed line bytes).</summary>
public readonly record struct LogIndexStats(long Streams, long Chunks, long Entries, long Bytes);
