using System.Text;
using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Tests;

/// <summary>Shortcuts for the log store tests: entries, batches, selects, reading readers out.</summary>
internal static class StoreTesting
{
    public const long Second = 1_000_000_000L;
    public const long Day = 86_400L * Second;

    /// <summary>2025-11-25T00:00:00Z, a fixed "today" for tests that set the clock.</summary>
    public static readonly DateTimeOffset Today = new(2025, 11, 25, 0, 0, 0, TimeSpan.Zero);

    public static long TodayNanos => (Today - DateTimeOffset.UnixEpoch).Ticks * 100;

    public static LogStorageOptions Options(TimeProvider? time = null) => new()
    {
        WalSync = WalSyncMode.Always,
        FlushInterval = Timeout.InfiniteTimeSpan,
        MergeInterval = Timeout.InfiniteTimeSpan,
        RetentionCheckInterval = Timeout.InfiniteTimeSpan,
        RetentionPeriod = null,
        TimeProvider = time ?? new ManualTime(Today.AddHours(12)),
    };

    public static LogStreamBatch Batch(LabelSet labels, params (long Timestamp, string Line)[] entries)
    {
        var batch = new LogStreamBatch(labels);
        foreach (var (timestamp, line) in entries)
        {
            batch.Entries.Add(new LogEntry(timestamp, Encoding.UTF8.GetBytes(line)));
        }
        return batch;
    }

    public static Task Append(LogStorage storage, params LogStreamBatch[] batches) => storage.AppendAsync(batches, CancellationToken.None).AsTask();

    public static LogSelect Select(
        IReadOnlyList<LabelMatcher> matchers,
        long start = long.MinValue,
        long end = long.MaxValue,
        LogDirection direction = LogDirection.Forward,
        params string[] needles) =>
        new(matchers, start, end, direction, needles.Select(n => Encoding.UTF8.GetBytes(n)).ToArray());

    /// <summary>Every stream's entries as (labels, [(timestamp, line)]), disposing the readers.</summary>
    public static List<(LabelSet Labels, List<(long Timestamp, string Line)> Entries)> Read(LogStorage storage, LogSelect select)
    {
        var result = new List<(LabelSet, List<(long, string)>)>();
        foreach (var reader in storage.Select(select))
        {
            using (reader)
            {
                var entries = new List<(long, string)>();
                while (reader.MoveNext())
                {
                    entries.Add((reader.Timestamp, Encoding.UTF8.GetString(reader.Line)));
                }
                result.Add((reader.Labels, entries));
            }
        }
        return result;
    }

    public static List<(long Timestamp, string Line)> ReadStream(LogStorage storage, LogSelect select)
    {
        var streams = Read(storage, select);
        Assert.Single(streams);
        return streams[0].Entries;
    }
}
