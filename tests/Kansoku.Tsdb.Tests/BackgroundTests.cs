using Kansoku.Testing;

namespace Kansoku.Tsdb.Tests;

public sealed class BackgroundTests : IAsyncLifetime
{
    private const long Hour = TsdbFixture.Hour;
    private readonly TsdbFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task The_compaction_timer_persists_the_head_once_it_spans_more_than_one_and_a_half_blocks()
    {
        var clock = new ManualTimeProvider();
        var options = new TsdbOptions { DataDirectory = _fixture.Directory.Path, CompactionInterval = TimeSpan.FromMinutes(1) };
        await using var store = Tsdb.Open(options, clock);
        TsdbFixture.Fill(store, 3, 0, 2 * Hour);

        clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(200);
        Assert.Empty(store.Blocks);

        TsdbFixture.Fill(store, 3, 2 * Hour, 4 * Hour);
        await Eventually.WaitUntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            return store.Blocks.Count == 1;
        });

        Assert.Equal(0, store.Blocks[0].Meta.MinTime);
        TsdbFixture.AssertHolds(store, 3, 0, 4 * Hour);
    }
}
