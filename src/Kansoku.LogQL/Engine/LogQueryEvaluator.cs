using System.Text;
using Kansoku.LogQL.Engine.Pipeline;
using Kansoku.LogQL.Parser;
using Kansoku.LogQL.Parser.Ast;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Engine;

/// <summary>
/// Runs a log query the way Loki's <c>readStreams</c> does: entries of all matching streams merged in time order
/// (the query's direction), through the pipeline, regrouped by their labels after it, cut at <c>limit</c> entries
/// overall, optionally thinned to one entry per <c>interval</c>.
/// </summary>
internal static class LogQueryEvaluator
{
    public static StreamsResult Evaluate(LogSelectorExpr selector, LogQueryRange range, QueryContext context)
    {
        if (range.Limit > context.Options.MaxEntriesLimitPerQuery)
        {
            throw new LogQLEvaluationException(LogQLErrorKind.EntriesLimit,
                $"max entries limit per query exceeded, limit > max_entries_limit_per_query ({range.Limit} > {context.Options.MaxEntriesLimitPerQuery})");
        }
        var pipeline = context.Compiler.Compile(selector.Stages);
        var labels = new LabelsBuilder(ParserHints.All(), context.Labels);
        var streams = new Dictionary<LabelList, List<LogResultEntry>>();
        var select = new LogSelect(selector.Matchers, range.StartUnixNano, range.EndUnixNano, range.Direction,
            LineFilterHints.RequiredSubstrings(selector));
        var backward = range.Direction == LogDirection.Backward;
        using (var merger = new EntryMerger(context.Querier.Select(select), range.Direction, context))
        {
            var count = 0;
            long? last = null;
            while (count < range.Limit && merger.TryPeek(out _))
            {
                var cursor = merger.Take();
                var timestamp = cursor.Reader.Timestamp;
                var line = cursor.Reader.Line;
                labels.Reset(cursor.Labels, cursor.LabelList, cursor.Reader);
                if (!pipeline.Process(timestamp, ref line, labels))
                {
                    continue;
                }
                // With an interval, Loki keeps an entry only when it is at least that far from the last one kept.
                if (range.IntervalNanos > 0 && last is { } previous
                    && (backward ? timestamp > previous - range.IntervalNanos : timestamp < previous + range.IntervalNanos))
                {
                    continue;
                }
                var streamLabels = labels.Labels();
                if (!streams.TryGetValue(streamLabels, out var entries))
                {
                    entries = [];
                    streams.Add(streamLabels, entries);
                }
                entries.Add(new LogResultEntry(timestamp, Encoding.UTF8.GetString(line)));
                last = timestamp;
                count++;
            }
        }
        context.ThrowIfCancelled();
        var result = new List<LogStream>(streams.Count);
        foreach (var (streamLabels, entries) in streams)
        {
            result.Add(new LogStream(streamLabels, entries));
        }
        result.Sort(static (a, b) => string.CompareOrdinal(a.Labels.ToString(), b.Labels.ToString()));
        return new StreamsResult(result, context.Statistics);
    }
}
