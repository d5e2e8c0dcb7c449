namespace Kansoku.LogQL.Engine;

/// <summary>
/// One stream of a log query result: the labels after the pipeline (parsed and formatted labels included, error
/// labels too) and its entries.
/// </summary>
internal sealed class LogStream(LabelList labels, List<LogResultEntry> entries)
{
    public LabelList Labels { get; } = labels;

    public IReadOnlyList<LogResultEntry> Entries { get; } = entries;
}
