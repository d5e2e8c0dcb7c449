using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Chunks;
using Kansoku.Tsdb.Head;
using Kansoku.Tsdb.Querying;

namespace Kansoku.Tsdb.Tests.Head;

public sealed class HeadTests
{
    private const long Hour = 3_600_000;
    private readonly HeadBlock _head = new(2 * Hour);

    private TsdbQuerier Querier(long min = long.MinValue, long max = long.MaxValue) =>
        new([new HeadQuerier(_head, min, max)], () => { });

    [Fact]
    public void Samples_are_visible_only_after_commit_and_rollback_drops_them()
    {
        var labels = Samples.Series("up", ("job", "a"));
        var appender = _head.Appender();
        appender.Append(0, labels, 1000, 1);
        appender.Append(0, labels, 2000, 2);

        Assert.Empty(Querier().Select([LabelMatcher.Equal("__name__", "up")]));
        appender.Commit();
        Assert.Equal([(1000, 1.0), (2000, 2.0)], Samples.ReadAll(Querier(), LabelMatcher.Equal("job", "a"))["{__name__=\"up\", job=\"a\"}"]);

        var rolledBack = _head.Appender();
        rolledBack.Append(0, labels, 3000, 3);
        rolledBack.Rollback();
        Assert.Equal(2, Samples.Read(Querier().Select([LabelMatcher.Equal("job", "a")])[0]).Count);
    }

    [Fact]
    public void Known_ref_skips_the_lookup_and_does_not_allocate()
    {
        var labels = Samples.Series("requests_total");
        var first = _head.Appender();
        var reference = first.Append(0, labels, 0, 0);
        first.Commit();

        var appender = _head.Appender();
        Assert.Equal(reference, appender.Append(reference, labels, 1, 1));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var t = 2; t < 50; t++)
        {
            appender.Append(reference, labels, t, t);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        appender.Commit();

        Assert.Equal(0, allocated);
        Assert.Equal(50, Samples.Read(Querier().Select([LabelMatcher.Equal("__name__", "requests_total")])[0]).Count);
    }

    [Fact]
    public void Out_of_order_duplicate_and_too_old_samples_are_rejected_as_Prometheus_does()
    {
        var labels = Samples.Series("x");
        var setup = _head.Appender();
        var reference = setup.Append(0, labels, 10 * Hour, 1);
        setup.Commit();

        var appender = _head.Appender();
        Assert.Equal(SampleRejection.OutOfOrder,
            Assert.Throws<SampleRejectedException>(() => appender.Append(reference, labels, (10 * Hour) - 1, 1)).Reason);
        Assert.Equal(SampleRejection.DuplicateTimestamp,
            Assert.Throws<SampleRejectedException>(() => appender.Append(reference, labels, 10 * Hour, 2)).Reason);
        Assert.Equal(SampleRejection.TooOld,
            Assert.Throws<SampleRejectedException>(() => appender.Append(0, Samples.Series("y"), 8 * Hour, 1)).Reason);
        Assert.Equal(SampleRejection.InvalidLabels,
            Assert.Throws<SampleRejectedException>(() => appender.Append(0, LabelSet.From(("job", "a")), 10 * Hour, 1)).Reason);
        // The same sample again is accepted and stored once; the transaction stays usable after rejections.
        appender.Append(reference, labels, 10 * Hour, 1);
        appender.Append(reference, labels, (10 * Hour) + 1, 3);
        appender.Commit();

        Assert.Equal([(10 * Hour, 1.0), ((10 * Hour) + 1, 3.0)], Samples.Read(Querier().Select([LabelMatcher.Equal("__name__", "x")])[0]));
    }

    [Fact]
    public void Head_chunks_are_cut_at_120_samples_and_at_block_boundaries()
    {
        var labels = Samples.Series("g");
        var appender = _head.Appender();
        var reference = 0UL;
        for (var i = 0; i < 800; i++)
        {
            // 10 s apart from 1h: the 2h boundary falls at sample 360.
            reference = appender.Append(reference, labels, Hour + (i * 10_000L), i);
        }
        appender.Commit();

        Assert.True(_head.TryGetByRef(reference, out var series));
        Assert.Equal([120, 120, 120, 120, 120, 120], series.Closed!.Select(CountOf));
        Assert.Equal(2 * Hour, series.Closed![3].MinTime);
        Assert.Equal(80, series.Open.Count);
        Assert.Equal(800, Samples.Read(Querier().Select([LabelMatcher.Equal("__name__", "g")])[0]).Count);
        Assert.Equal(121, Samples.Read(Querier(Hour + (100 * 10_000L), Hour + (220 * 10_000L)).Select([LabelMatcher.Equal("__name__", "g")])[0]).Count);
    }

    [Fact]
    public void Truncation_drops_old_chunks_and_series_left_empty()
    {
        var appender = _head.Appender();
        appender.Append(0, Samples.Series("old"), Hour, 1);
        appender.Append(0, Samples.Series("kept"), Hour, 1);
        appender.Append(0, Samples.Series("kept"), 3 * Hour, 2);
        appender.Commit();

        Assert.Equal(1, _head.Truncate(2 * Hour));

        Assert.Equal(1, _head.SeriesCount);
        Assert.Equal(2 * Hour, _head.MinTime);
        Assert.Equal(["kept"], Querier().LabelValues("__name__", []));
        Assert.Equal(SampleRejection.TooOld,
            Assert.Throws<SampleRejectedException>(() => _head.Appender().Append(0, Samples.Series("old"), (2 * Hour) - 1, 1)).Reason);
    }

    [Fact]
    public async Task Concurrent_appenders_on_shared_series_commit_every_sample()
    {
        var tasks = new Task[4];
        for (var w = 0; w < tasks.Length; w++)
        {
            var worker = w;
            tasks[w] = Task.Run(() =>
            {
                for (var round = 0; round < 200; round++)
                {
                    var appender = _head.Appender();
                    for (var s = 0; s < 20; s++)
                    {
                        appender.Append(0, Samples.Series("m", ("worker", worker.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                            ("s", s.ToString(System.Globalization.CultureInfo.InvariantCulture))), round, s);
                    }
                    appender.Commit();
                }
            });
        }
        await Task.WhenAll(tasks);

        var all = Querier().Select([LabelMatcher.Equal("__name__", "m")]);
        Assert.Equal(80, all.Count);
        Assert.All(all, series => Assert.Equal(200, Samples.Read(series).Count));
        Assert.Equal(80, _head.SeriesCount);
    }

    private static int CountOf(ClosedChunk chunk) => Chunk.SampleCount(chunk.Bytes);
}
