using Kansoku.Core.Labels;
using Kansoku.Tsdb.Blocks;

namespace Kansoku.Tsdb.Tests.Blocks;

public sealed class BlockTests : IAsyncLifetime
{
    private const long Hour = TsdbFixture.Hour;
    private readonly TsdbFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Head_compaction_persists_the_oldest_range_and_queries_merge_blocks_with_the_head()
    {
        await using var store = _fixture.Open();
        TsdbFixture.Fill(store, 30, Hour, 5 * Hour);

        store.Compact();

        var blocks = store.Blocks;
        // The head spans [1h, 5h): only [0, 2h) is persisted; then it spans under 1.5 block ranges.
        Assert.Equal([(0L, 2 * Hour)], blocks.Select(b => (b.Meta.MinTime, b.Meta.MaxTime)));
        foreach (var block in blocks)
        {
            Assert.True(File.Exists(Path.Combine(block.Directory, "meta.json")));
            Assert.True(File.Exists(Path.Combine(block.Directory, "index")));
            Assert.True(File.Exists(Path.Combine(block.Directory, "chunks", "000001")));
            Assert.Equal(30, block.Meta.NumSeries);
        }
        Assert.Equal(30 * 240, blocks[0].Meta.NumSamples);
        // The head cut each series' hour into two chunks of 120; the block holds it as one of 240.
        Assert.Equal(30, blocks[0].Meta.NumChunks);
        TsdbFixture.AssertHolds(store, 30, Hour, 5 * Hour);
        Assert.True(Directory.GetDirectories(_fixture.WalDirectory, "checkpoint.*").Length == 1);
    }

    [Fact]
    public async Task After_compaction_a_reopened_store_has_blocks_checkpoint_and_wal_tail()
    {
        await using (var store = _fixture.Open())
        {
            TsdbFixture.Fill(store, 10, 0, 4 * Hour);
            store.Compact();
            TsdbFixture.Fill(store, 10, 4 * Hour, 5 * Hour);
        }

        await using var reopened = _fixture.Open();

        Assert.Single(reopened.Blocks);
        TsdbFixture.AssertHolds(reopened, 10, 0, 5 * Hour);
    }

    [Fact]
    public async Task Matchers_and_label_apis_work_across_blocks_and_head()
    {
        await using var store = _fixture.Open();
        TsdbFixture.Fill(store, 9, 0, 4 * Hour);
        store.Compact();
        var appender = store.Appender();
        appender.Append(0, Samples.Series("metric_0", ("instance", "late"), ("job", "node")), 4 * Hour, 1);
        appender.Commit();

        using var querier = store.Querier(0, 5 * Hour);
        var regex = querier.Select([new LabelMatcher(LabelMatchType.RegexMatch, "instance", "host-1|host-5|late"),
            new LabelMatcher(LabelMatchType.NotEqual, "__name__", "metric_1")]);
        Assert.Equal(["{__name__=\"metric_0\", instance=\"late\", job=\"node\"}"], regex.Select(s => s.Labels.ToString()).Where(s => s.Contains("late")));
        Assert.Equal(["host-5", "late"], regex.Select(s => s.Labels.Get("instance")).Order(StringComparer.Ordinal));
        Assert.Equal(["__name__", "instance", "job"], querier.LabelNames([]));
        Assert.Equal(["host-0", "host-3", "host-6", "late"], querier.LabelValues("instance", [LabelMatcher.Equal("__name__", "metric_0")]));
        Assert.Empty(querier.Select([LabelMatcher.Equal("__name__", "metric_0"), LabelMatcher.Equal("job", "")]));
        Assert.Equal(4, querier.Select([LabelMatcher.Equal("__name__", "metric_0"), LabelMatcher.Equal("absent", "")]).Count);
    }

    [Fact]
    public async Task Small_blocks_are_merged_into_aligned_three_times_larger_ones()
    {
        await using var store = _fixture.Open();
        TsdbFixture.Fill(store, 4, 0, 14 * Hour);

        store.CompactAll();

        // 2h blocks [0,14h) -> [0,6h), [6h,12h) merged; [12h,14h) is the newest and stays.
        Assert.Equal([(0L, 6 * Hour, 2), (6 * Hour, 12 * Hour, 2), (12 * Hour, 14 * Hour, 1)],
            store.Blocks.Select(b => (b.Meta.MinTime, b.Meta.MaxTime, b.Meta.Level)));
        Assert.Equal(3, store.Blocks[0].Meta.Sources.Count);
        TsdbFixture.AssertHolds(store, 4, 0, 14 * Hour);
        Assert.Equal(3, Directory.GetDirectories(_fixture.Directory.Path).Count(d => Path.GetFileName(d) != "wal"));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(3, 2.0)]
    public async Task Storage_of_typical_series_costs_about_a_byte_per_sample(int jitterMs, double limit)
    {
        await using var store = _fixture.Open();
        var appender = store.Appender();
        var labels = Enumerable.Range(0, 300).Select(TsdbFixture.Labels).ToArray();
        var refs = new ulong[labels.Length];
        var random = new Random(3);
        var counters = new double[labels.Length];
        for (var t = 0L; t < 2 * Hour; t += TsdbFixture.Interval)
        {
            for (var s = 0; s < refs.Length; s++)
            {
                // A third each: constant gauges (up, limits), steady counters, bursty counters; scrape times aligned or jittered.
                counters[s] += (s % 3) switch { 0 => 0, 1 => 10, _ => random.Next(0, 50) };
                refs[s] = appender.Append(refs[s], labels[s], t + random.Next(0, jitterMs + 1), counters[s]);
            }
        }
        appender.Commit();

        store.CompactAll();

        var block = Assert.Single(store.Blocks);
        var bytesPerSample = (double)block.SizeBytes / block.Meta.NumSamples;
        Assert.True(bytesPerSample < limit, $"{bytesPerSample:F3} bytes/sample");
    }

    [Fact]
    public async Task A_querier_keeps_reading_a_block_that_compaction_deletes()
    {
        await using var store = _fixture.Open();
        TsdbFixture.Fill(store, 2, 0, 14 * Hour);
        using var querier = store.Querier(0, 14 * Hour);
        var series = querier.Select([LabelMatcher.Equal("job", "node")]);

        store.CompactAll();

        Assert.All(series, s => Assert.Equal(14 * 240, Samples.Read(s).Count));
    }

    [Fact]
    public void Compaction_ranges_grow_threefold_up_to_a_tenth_of_retention()
    {
        Assert.Equal([6 * Hour, 18 * Hour, 54 * Hour], BlockCompaction.Ranges(2 * Hour, TimeSpan.FromDays(30)));
        Assert.Empty(BlockCompaction.Ranges(2 * Hour, TimeSpan.FromHours(12)));
    }
}
