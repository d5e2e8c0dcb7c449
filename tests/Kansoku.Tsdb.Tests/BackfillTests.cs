using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.Tsdb.Tests;

public sealed class BackfillTests : IAsyncLifetime
{
    private const long Hour = TsdbFixture.Hour;
    private readonly TsdbFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Theory]
    [InlineData(long.MaxValue / 2)]
    [InlineData(1000)]
    public async Task Series_in_any_order_become_aligned_blocks_the_store_reads_and_merges(long maxBuffered)
    {
        var backfiller = new BlockBackfiller(_fixture.Directory.Path, TimeProvider.System, maxBufferedSamples: maxBuffered);
        // Series after series (as an OpenMetrics file lists them), in reverse order, each over [1h, 7h).
        for (var s = 5; s >= 0; s--)
        {
            var labels = TsdbFixture.Labels(s);
            for (var t = Hour; t < 7 * Hour; t += TsdbFixture.Interval)
            {
                backfiller.Add(labels, t, TsdbFixture.Expected(s, t));
            }
        }
        var written = backfiller.Finish();

        Assert.NotEmpty(written);
        Assert.Equal(6 * 6 * 240, backfiller.SamplesAdded);
        await using var store = _fixture.Open();
        // Each block spans its samples within one aligned 2h range, as promtool's blocks do.
        Assert.All(store.Blocks, b => Assert.Equal(b.Meta.MinTime / (2 * Hour), (b.Meta.MaxTime - 1) / (2 * Hour)));
        TsdbFixture.AssertHolds(store, 6, Hour, 7 * Hour);

        store.Compact();

        // Overlapping flushes merged, then the blocks of [0, 6h) merged into one; the newest block is left for later.
        // Blocks span their samples: [1h, last sample before 6h] and [6h, last sample before 7h].
        const long LastBefore = TsdbFixture.Interval - 1;
        Assert.Equal([(Hour, 6 * Hour - LastBefore), (6 * Hour, 7 * Hour - LastBefore)],
            store.Blocks.Select(b => (b.Meta.MinTime, b.Meta.MaxTime)).ToArray());
        TsdbFixture.AssertHolds(store, 6, Hour, 7 * Hour);
    }

    [Fact]
    public void Samples_out_of_order_within_a_series_are_refused()
    {
        var backfiller = new BlockBackfiller(_fixture.Directory.Path, TimeProvider.System);
        var labels = Samples.Series("x");
        backfiller.Add(labels, 2000, 1);
        backfiller.Add(labels, 2000, 1);

        Assert.Equal(SampleRejection.OutOfOrder, Assert.Throws<SampleRejectedException>(() => backfiller.Add(labels, 1000, 1)).Reason);
        Assert.Equal(SampleRejection.DuplicateTimestamp, Assert.Throws<SampleRejectedException>(() => backfiller.Add(labels, 2000, 2)).Reason);
        Assert.Equal(SampleRejection.InvalidLabels,
            Assert.Throws<SampleRejectedException>(() => backfiller.Add(LabelSet.From(("a", "b")), 1000, 1)).Reason);
        Assert.Equal(1, backfiller.SamplesAdded);
    }
}
