using Kansoku.Core.Labels;

namespace Kansoku.Storage.Logs;

/// <summary>Entries of one stream in one write (a Loki push stream, or the `_bulk` documents that share labels).</summary>
public sealed class LogStreamBatch
{
    public LogStreamBatch(LabelSet labels)
    {
        Labels = labels;
    }

    public LabelSet Labels { get; }

    /// <summary>Entries in any time order; the store sorts.</summary>
    public List<LogEntry> Entries { get; } = [];
}
