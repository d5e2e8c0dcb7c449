using Kansoku.Core.Labels;
using Kansoku.Tsdb.Wal;

namespace Kansoku.Tsdb.Tests.Wal;

public sealed class WalTests : IAsyncLifetime
{
    private readonly TsdbFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Reopening_replays_committed_samples_and_not_rolled_back_ones()
    {
        await using (var store = _fixture.Open())
        {
            TsdbFixture.Fill(store, 20, 0, 100 * TsdbFixture.Interval);
            var rolledBack = store.Appender();
            rolledBack.Append(0, Samples.Series("never"), 0, 1);
            rolledBack.Rollback();
        }

        await using var reopened = _fixture.Open();

        Assert.False(reopened.WalRepaired);
        TsdbFixture.AssertHolds(reopened, 20, 0, 100 * TsdbFixture.Interval);
        using var querier = reopened.Querier(long.MinValue, long.MaxValue);
        Assert.DoesNotContain("never", querier.LabelValues("__name__", []));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(13)]
    public async Task A_torn_tail_is_cut_off_and_the_store_keeps_working(int bytesCut)
    {
        await using (var store = _fixture.Open())
        {
            TsdbFixture.Fill(store, 5, 0, 3 * TsdbFixture.Interval);
        }
        var segment = LastSegmentWithData();
        using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.SetLength(stream.Length - bytesCut);
        }

        await using (var reopened = _fixture.Open())
        {
            Assert.True(reopened.WalRepaired);
            TsdbFixture.AssertHolds(reopened, 5, 0, 2 * TsdbFixture.Interval);
            TsdbFixture.Fill(reopened, 5, 2 * TsdbFixture.Interval, 4 * TsdbFixture.Interval);
        }

        await using var again = _fixture.Open();
        Assert.False(again.WalRepaired);
        TsdbFixture.AssertHolds(again, 5, 0, 4 * TsdbFixture.Interval);
    }

    [Fact]
    public async Task A_corrupt_record_ends_the_log_there_and_later_segments_are_dropped()
    {
        await using (var store = _fixture.Open())
        {
            TsdbFixture.Fill(store, 5, 0, 3 * TsdbFixture.Interval);
        }
        await using (var second = _fixture.Open())
        {
            TsdbFixture.Fill(second, 5, 3 * TsdbFixture.Interval, 4 * TsdbFixture.Interval);
        }
        var segments = WalReplay.NumberedFiles(_fixture.WalDirectory);
        var first = segments[0].Path;
        var bytes = File.ReadAllBytes(first);
        bytes[^3] ^= 0x40; // inside the last samples record's values
        File.WriteAllBytes(first, bytes);

        await using var reopened = _fixture.Open();

        Assert.True(reopened.WalRepaired);
        TsdbFixture.AssertHolds(reopened, 5, 0, 2 * TsdbFixture.Interval);
        Assert.DoesNotContain(segments, s => s.Index > segments[0].Index && File.Exists(s.Path) && new FileInfo(s.Path).Length > 0);
    }

    [Fact]
    public async Task Every_commit_fsync_mode_round_trips_special_values()
    {
        var labels = Samples.Series("special");
        await using (var store = _fixture.Open(_fixture.Options(fsync: WalFsyncMode.EveryCommit)))
        {
            var appender = store.Appender();
            appender.Append(0, labels, 1, double.NaN);
            appender.Append(0, labels, 2, Storage.Metrics.StaleMarker.Value);
            appender.Append(0, labels, 3, double.NegativeInfinity);
            appender.Append(0, labels, 4, -0.0);
            appender.Append(0, labels, 5, 0.1);
            appender.Append(0, labels, 6, -(1L << 52));
            appender.Commit();
        }

        await using var reopened = _fixture.Open();
        using var querier = reopened.Querier(0, 10);
        var samples = Samples.Read(querier.Select([LabelMatcher.Equal("__name__", "special")])[0]);
        Assert.Equal(6, samples.Count);
        Assert.True(double.IsNaN(samples[0].V) && !Storage.Metrics.StaleMarker.Is(samples[0].V));
        Assert.True(Storage.Metrics.StaleMarker.Is(samples[1].V));
        Assert.Equal(double.NegativeInfinity, samples[2].V);
        Assert.Equal(BitConverter.DoubleToUInt64Bits(-0.0), BitConverter.DoubleToUInt64Bits(samples[3].V));
        Assert.Equal(0.1, samples[4].V);
        Assert.Equal(-(1L << 52), samples[5].V);
    }

    [Fact]
    public async Task Segments_roll_over_at_their_size_and_replay_in_order()
    {
        var options = new TsdbOptions { DataDirectory = _fixture.Directory.Path, BackgroundCompaction = false, WalSegmentBytes = 64 * 1024 };
        await using (var store = _fixture.Open(options))
        {
            TsdbFixture.Fill(store, 50, 0, 1200 * TsdbFixture.Interval);
        }

        Assert.True(WalReplay.NumberedFiles(_fixture.WalDirectory).Count >= 3);
        Assert.All(WalReplay.NumberedFiles(_fixture.WalDirectory), f => Assert.True(new FileInfo(f.Path).Length <= 64 * 1024));
        await using var reopened = _fixture.Open(options);
        TsdbFixture.AssertHolds(reopened, 50, 0, 1200 * TsdbFixture.Interval);
    }

    private string LastSegmentWithData()
    {
        var segments = WalReplay.NumberedFiles(_fixture.WalDirectory);
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            if (new FileInfo(segments[i].Path).Length > 0)
            {
                return segments[i].Path;
            }
        }
        throw new InvalidOperationException("no WAL segment holds data");
    }
}
