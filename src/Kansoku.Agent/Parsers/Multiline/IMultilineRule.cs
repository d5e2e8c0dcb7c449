namespace Kansoku.Agent.Parsers.Multiline;

/// <summary>
/// Decides how lines group into records. Implementations are shared by every aggregator and must be thread-safe: the
/// per-stream state lives in the aggregator and is passed in by reference.
/// </summary>
internal interface IMultilineRule
{
    /// <summary>
    /// Classifies <paramref name="line"/>. <paramref name="pendingLines"/> is how many lines the held record has (0:
    /// none) and <paramref name="pendingFirstLine"/> its first line. <paramref name="state"/> is the rule's own state for
    /// the held record, 0 when nothing is held; the rule updates it for the record the line ends up in.
    /// </summary>
    MultilineAction Classify(ReadOnlySpan<byte> line, int pendingLines, ReadOnlySpan<byte> pendingFirstLine, ref int state);
}
