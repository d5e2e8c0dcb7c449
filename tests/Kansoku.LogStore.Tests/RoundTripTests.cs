using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

public sealed class RoundTripTests : IDisposable
{
    private static readonly LabelSet s_web = LabelSet.From(("app", "web"), ("namespace", "shop"));
    private static readonly LabelSet s_db = LabelSet.From(("app", "db"), ("namespace", "shop"), ("tier", "storage"));
    private static readonly LabelSet s_other = LabelSet.From(("app", "web"), ("namespace", "blog"));

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static long T(int seconds) => TodayNanos + (seconds * Second);

    private async Task<LogStorage> OpenWithData(bool flushBetween)
    {
        var storage = LogStorage.Open(_directory.Path, Options());
        await Append(storage,
            Batch(s_web, (T(10), "GET /a 200"), (T(20), "GET /b 500")),
            Batch(s_db, (T(15), "checkpoint starting")),
            Batch(s_other, (T(12), "post published")));
        if (flushBetween)
        {
            await storage.FlushAsync();
        }
        await Append(storage, Batch(s_web, (T(30), "GET /c 200"), (T(5), "GET /early 200")));
        return storage;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Entries_come_back_in_time_order_both_directions(bool flushBetween)
    {
        using var storage = await OpenWithData(flushBetween);
        var forward = ReadStream(storage, Select([LabelMatcher.Equal("app", "web"), LabelMatcher.Equal("namespace", "shop")]));
        Assert.Equal([(T(5), "GET /early 200"), (T(10), "GET /a 200"), (T(20), "GET /b 500"), (T(30), "GET /c 200")], forward);
        var backward = ReadStream(storage, Select([LabelMatcher.Equal("namespace", "shop"), LabelMatcher.Equal("app", "web")],
            direction: LogDirection.Backward));
        forward.Reverse();
        Assert.Equal(forward, backward);
    }

    [Fact]
    public async Task Range_is_start_inclusive_end_exclusive_over_head_and_parts()
    {
        using var storage = await OpenWithData(flushBetween: true);
        var entries = ReadStream(storage, Select([LabelMatcher.Equal("namespace", "shop"), LabelMatcher.Equal("app", "web")], T(10), T(30)));
        Assert.Equal([(T(10), "GET /a 200"), (T(20), "GET /b 500")], entries);
        Assert.Empty(Read(storage, Select([LabelMatcher.Equal("app", "db")], T(16), T(100))));
    }

    [Fact]
    public async Task Matchers_select_streams_with_Prometheus_semantics()
    {
        using var storage = await OpenWithData(flushBetween: true);
        string[] Streams(params LabelMatcher[] matchers) => Read(storage, Select(matchers)).Select(s => s.Labels.ToString()).ToArray();

        Assert.Equal(3, Streams().Length);
        Assert.Equal([s_other.ToString(), s_web.ToString()], Streams(LabelMatcher.Equal("app", "web")));
        Assert.Equal([s_other.ToString()], Streams(new LabelMatcher(LabelMatchType.NotEqual, "namespace", "shop")));
        Assert.Equal([s_db.ToString()], Streams(new LabelMatcher(LabelMatchType.RegexMatch, "app", "d.|x")));
        Assert.Equal([s_db.ToString(), s_web.ToString()], Streams(new LabelMatcher(LabelMatchType.RegexMatch, "namespace", "sh.p")));
        Assert.Equal([s_other.ToString()], Streams(new LabelMatcher(LabelMatchType.RegexNoMatch, "namespace", "shop|x")));
        // Absent labels have the value "": tier="" selects the streams without tier, tier!="" those with it.
        Assert.Equal([s_other.ToString(), s_web.ToString()], Streams(LabelMatcher.Equal("tier", "")));
        Assert.Equal([s_db.ToString()], Streams(new LabelMatcher(LabelMatchType.NotEqual, "tier", "")));
        Assert.Empty(Streams(LabelMatcher.Equal("app", "nope")));
        Assert.Empty(Streams(LabelMatcher.Equal("missing", "x")));
    }

    [Fact]
    public async Task Needles_filter_lines_in_head_and_parts()
    {
        using var storage = await OpenWithData(flushBetween: true);
        var selector = new[] { LabelMatcher.Equal("app", "web"), LabelMatcher.Equal("namespace", "shop") };
        Assert.Equal([(T(5), "GET /early 200"), (T(10), "GET /a 200"), (T(30), "GET /c 200")],
            ReadStream(storage, Select(selector, needles: " 200")));
        Assert.Equal([(T(20), "GET /b 500")], ReadStream(storage, Select(selector, needles: ["GET", "500"])));
        Assert.Empty(ReadStream(storage, Select(selector, needles: "POST /never")));
    }

    [Fact]
    public async Task Entries_survive_reopen_with_and_without_a_final_flush()
    {
        using (await OpenWithData(flushBetween: true))
        {
        }
        using (var storage = LogStorage.Open(_directory.Path, Options() with { FlushOnDispose = false }))
        {
            Assert.Equal(0, storage.Status().HeadBytes);
            Assert.Equal(4, ReadStream(storage, Select([LabelMatcher.Equal("namespace", "shop"), LabelMatcher.Equal("app", "web")])).Count);
            await Append(storage, Batch(s_web, (T(40), "GET /d 200")));
        }
        using (var storage = LogStorage.Open(_directory.Path, Options()))
        {
            Assert.True(storage.Status().HeadBytes > 0, "the last entry comes back from the WAL");
            Assert.Equal(5, ReadStream(storage, Select([LabelMatcher.Equal("namespace", "shop"), LabelMatcher.Equal("app", "web")])).Count);
        }
    }

    [Fact]
    public async Task Old_and_out_of_order_entries_land_in_their_day()
    {
        using var storage = LogStorage.Open(_directory.Path, Options() with { RetentionPeriod = TimeSpan.FromDays(7) });
        var labels = LabelSet.From(("app", "replay"));
        await Append(storage, Batch(labels, (TodayNanos + Second, "today"), (TodayNanos - (3 * Day), "three days ago"),
            (TodayNanos - Day + Second, "yesterday"), (TodayNanos - (30 * Day), "too old: dropped")));
        await storage.FlushAsync();
        Assert.True(Directory.Exists(_directory.Combine("partitions", "20251122")));
        Assert.True(Directory.Exists(_directory.Combine("partitions", "20251124")));
        Assert.True(Directory.Exists(_directory.Combine("partitions", "20251125")));
        Assert.Equal(1, storage.Counters.EntriesDroppedTooOld);
        Assert.Equal(["three days ago", "yesterday", "today"],
            ReadStream(storage, Select([LabelMatcher.Equal("app", "replay")])).Select(e => e.Line));
        Assert.Equal(["today", "yesterday", "three days ago"],
            ReadStream(storage, Select([LabelMatcher.Equal("app", "replay")], direction: LogDirection.Backward)).Select(e => e.Line));
        Assert.Equal(TodayNanos - (3 * Day), storage.Status().OldestUnixNano);
    }

    [Fact]
    public async Task Equal_timestamps_keep_arrival_order_and_exact_duplicates_collapse()
    {
        using var storage = LogStorage.Open(_directory.Path, Options());
        var labels = LabelSet.From(("app", "dup"));
        await Append(storage, Batch(labels, (T(1), "b"), (T(1), "a")));
        await storage.FlushAsync();
        await Append(storage, Batch(labels, (T(1), "c"), (T(1), "a"), (T(0), "first")));
        var forward = ReadStream(storage, Select([LabelMatcher.Equal("app", "dup")]));
        Assert.Equal([(T(0), "first"), (T(1), "b"), (T(1), "a"), (T(1), "c")], forward);
        var backward = ReadStream(storage, Select([LabelMatcher.Equal("app", "dup")], direction: LogDirection.Backward));
        // Backward walks arrival order in reverse, so of two copies it keeps the later one.
        Assert.Equal([(T(1), "a"), (T(1), "c"), (T(1), "b"), (T(0), "first")], backward);
    }

    [Fact]
    public async Task Series_label_names_values_and_stats()
    {
        using var storage = await OpenWithData(flushBetween: true);
        Assert.Equal([s_db, s_web], storage.Series([LabelMatcher.Equal("namespace", "shop")], T(0), T(100)));
        Assert.Equal([s_web], storage.Series([LabelMatcher.Equal("namespace", "shop")], T(25), T(100)));
        Assert.Equal(["app", "namespace", "tier"], storage.LabelNames(T(0), T(100)));
        Assert.Equal(["app", "namespace"], storage.LabelNames(T(25), T(100)));
        Assert.Equal(["db", "web"], storage.LabelValues("app", [LabelMatcher.Equal("namespace", "shop")], T(0), T(100)));
        Assert.Equal(["blog", "shop"], storage.LabelValues("namespace", [], T(0), T(100)));
        var stats = storage.Stats([LabelMatcher.Equal("namespace", "shop")], T(0), T(100));
        Assert.Equal(2, stats.Streams);
        Assert.Equal(5, stats.Entries);
        Assert.Equal("GET /a 200GET /b 500checkpoint startingGET /c 200GET /early 200".Length, stats.Bytes);
        Assert.True(stats.Chunks >= 3);
    }

    [Fact]
    public async Task Bad_input_is_refused_without_touching_the_store()
    {
        using var storage = LogStorage.Open(_directory.Path, Options() with { MaxLineBytes = 10 });
        await Assert.ThrowsAsync<ArgumentException>(() => Append(storage, Batch(s_web, (T(1), "ok"), (T(2), "this line is too long"))));
        await Append(storage, Batch(s_web, (T(3), "fine")));
        Assert.Equal([(T(3), "fine")], ReadStream(storage, Select([LabelMatcher.Equal("app", "web")])));
    }

    [Fact]
    public async Task Overload_when_flushes_cannot_keep_up()
    {
        // A file where the day's directory should be: flushes fail, entries stay in memory (and in the WAL).
        _directory.Write("partitions/20251125", "in the way");
        var messages = new List<string>();
        var options = Options() with
        {
            FlushHeadBytes = 1 << 10, MaxHeadBytes = 4 << 10, OverloadWait = TimeSpan.Zero, Log = m => { lock (messages) { messages.Add(m); } },
        };
        using var storage = LogStorage.Open(_directory.Path, options);
        var line = new string('x', 500);
        var overloaded = await Assert.ThrowsAsync<LogStoreOverloadedException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await Append(storage, Batch(s_web, (T(i), line)));
            }
        });
        Assert.Equal(options.OverloadRetryAfter, overloaded.RetryAfter);
        await storage.FlushAsync();
        lock (messages)
        {
            Assert.Contains(messages, m => m.Contains("flushing", StringComparison.Ordinal));
        }
        Assert.True(ReadStream(storage, Select([LabelMatcher.Equal("app", "web")])).Count >= 8);
    }

    [Fact]
    public async Task An_append_over_the_head_limit_waits_for_the_flush_it_triggers()
    {
        // A flush starts when the heads reach the limit, so the next append finds them over it and must wait for that flush.
        var options = Options(TimeProvider.System) with { FlushHeadBytes = 2 << 10, MaxHeadBytes = 2 << 10, OverloadWait = TimeSpan.FromSeconds(30) };
        using var storage = LogStorage.Open(_directory.Path, options);
        var line = new string('x', 500);
        for (var i = 0; i < 80; i++)
        {
            await Append(storage, Batch(s_web, (TodayNanos + i, line + i)));
        }
        Assert.True(storage.Counters.WaitsForRoom > 0);
        Assert.Equal(0, storage.Counters.Overloads);
        Assert.True(storage.Counters.Flushes > 0);
        Assert.Equal(80, ReadStream(storage, Select([LabelMatcher.Equal("app", "web")])).Count);
    }
}
