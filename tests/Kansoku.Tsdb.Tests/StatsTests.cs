namespace Kansoku.Tsdb.Tests;

public sealed class StatsTests : IAsyncLifetime
{
    private readonly TsdbFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Head_stats_count_series_chunks_and_cardinality_like_Prometheus()
    {
        await using var store = _fixture.Open();
        TsdbFixture.Fill(store, 7, 1000, 1000 + (300 * TsdbFixture.Interval));

        var stats = store.Stats(limit: 2);

        Assert.Equal(7, stats.NumSeries);
        Assert.Equal(21, stats.ChunkCount); // 300 samples: two full head chunks of 120 and an open one per series
        Assert.Equal(1000, stats.MinTime);
        Assert.Equal(1000 + (299 * TsdbFixture.Interval), stats.MaxTime);
        Assert.Equal([new TsdbStat("metric_0", 3), new TsdbStat("metric_1", 2)], stats.SeriesCountByMetricName);
        Assert.Equal([new TsdbStat("instance", 7), new TsdbStat("__name__", 3)], stats.LabelValueCountByLabelName);
        Assert.Equal([new TsdbStat("job=node", 7), new TsdbStat("__name__=metric_0", 3)], stats.SeriesCountByLabelValuePair);
        Assert.Equal(new TsdbStat("__name__", 7 * "metric_0".Length), stats.MemoryInBytesByLabelName[0]);
        Assert.Equal(3 + 7 + 1, stats.NumLabelPairs);
    }
}
