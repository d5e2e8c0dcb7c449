using Kansoku.Core.Labels;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

public sealed class RetentionTests : IDisposable
{
    private static readonly LabelSet s_labels = LabelSet.From(("app", "ret"));
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static async Task FillDays(LogStorage storage, int days, int linesPerDay)
    {
        for (var day = days - 1; day >= 0; day--)
        {
            var batch = new Kansoku.Storage.Logs.LogStreamBatch(s_labels);
            for (var i = 0; i < linesPerDay; i++)
            {
                batch.Entries.Add(new(TodayNanos - (day * Day) + (i * Second), System.Text.Encoding.UTF8.GetBytes($"day -{day} line {i} {Guid.NewGuid()}")));
            }
            await storage.AppendAsync([batch], CancellationToken.None);
        }
        await storage.FlushAsync();
    }

    [Fact]
    public async Task Days_older_than_the_period_are_dropped_whole()
    {
        var time = new ManualTime(Today.AddHours(12));
        using var storage = LogStorage.Open(_directory.Path, Options(time) with { RetentionPeriod = TimeSpan.FromDays(5) });
        await FillDays(storage, days: 5, linesPerDay: 3);
        Assert.Equal(5, storage.Status().Partitions);

        time.Now = Today.AddDays(3).AddHours(1);
        storage.ApplyRetention();
        var status = storage.Status();
        Assert.Equal(3, status.Partitions);
        Assert.Equal(TodayNanos - (2 * Day), status.OldestUnixNano);
        Assert.False(Directory.Exists(_directory.Combine("partitions", "20251121")));
        Assert.False(Directory.Exists(_directory.Combine("partitions", "20251122")));
        Assert.True(Directory.Exists(_directory.Combine("partitions", "20251123")));
        Assert.Equal(9, ReadStream(storage, Select([LabelMatcher.Equal("app", "ret")])).Count);

        // An agent replaying a backlog: older than the oldest kept day is dropped, within it is kept.
        await Append(storage, Batch(s_labels, (TodayNanos - (3 * Day), "too old"), (TodayNanos - (2 * Day) + 5, "just in")));
        Assert.Equal(1, storage.Counters.EntriesDroppedTooOld);
        Assert.Equal(10, ReadStream(storage, Select([LabelMatcher.Equal("app", "ret")])).Count);
    }

    [Fact]
    public async Task Oldest_days_go_first_when_over_the_size_limit_and_the_newest_stays()
    {
        using (var storage = LogStorage.Open(_directory.Path, Options()))
        {
            await FillDays(storage, days: 4, linesPerDay: 200);
        }
        var sizes = Directory.GetDirectories(_directory.Combine("partitions")).Order(StringComparer.Ordinal)
            .Select(d => Directory.GetFiles(d).Sum(f => new FileInfo(f).Length)).ToArray();
        var limit = sizes[^1] + sizes[^2] + 4096;
        using (var storage = LogStorage.Open(_directory.Path, Options() with { RetentionMaxBytes = limit }))
        {
            storage.ApplyRetention();
            Assert.Equal(2, storage.Status().Partitions);
            Assert.Equal(TodayNanos - Day, storage.Status().OldestUnixNano);
            Assert.True(storage.Status().PartBytes <= limit);

            using var strict = LogStorage.Open(_directory.Combine("other"), Options() with { RetentionMaxBytes = 1 });
            await FillDays(strict, days: 2, linesPerDay: 10);
            strict.ApplyRetention();
            Assert.Equal(1, strict.Status().Partitions);
            Assert.Equal(10, ReadStream(strict, Select([LabelMatcher.Equal("app", "ret")])).Count);
        }
    }

    [Fact]
    public async Task A_reader_keeps_reading_a_day_that_retention_drops_under_it()
    {
        var time = new ManualTime(Today.AddHours(12));
        using var storage = LogStorage.Open(_directory.Path, Options(time) with { RetentionPeriod = TimeSpan.FromDays(3) });
        await FillDays(storage, days: 3, linesPerDay: 50);
        var readers = storage.Select(Select([LabelMatcher.Equal("app", "ret")]));
        time.Now = Today.AddDays(5);
        storage.ApplyRetention();
        Assert.Equal(0, storage.Status().Partitions);
        var count = 0;
        using (var reader = Assert.Single(readers))
        {
            while (reader.MoveNext())
            {
                count++;
            }
        }
        Assert.Equal(150, count);
        Assert.Empty(storage.Series([], long.MinValue, long.MaxValue));
    }
}
