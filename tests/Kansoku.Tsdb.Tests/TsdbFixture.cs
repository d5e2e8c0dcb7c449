using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Testing;
using Kansoku.Tsdb.Wal;

namespace Kansoku.Tsdb.Tests;

/// <summary>A store in a temp directory with compaction driven by the test.</summary>
internal sealed class TsdbFixture : IAsyncDisposable
{
    public const long Hour = 3_600_000;
    public const long Interval = 15_000;

    public TempDirectory Directory { get; } = new();

    public TsdbOptions Options(long retentionBytes = 0, TimeSpan? retention = null, WalFsyncMode fsync = WalFsyncMode.Periodic) => new()
    {
        DataDirectory = Directory.Path,
        BackgroundCompaction = false,
        RetentionBytes = retentionBytes,
        RetentionTime = retention ?? TimeSpan.Zero,
        WalFsync = fsync,
    };

    public Tsdb Open(TsdbOptions? options = null) => Tsdb.Open(options ?? Options(), TimeProvider.System);

    public string WalDirectory => Directory.Combine("wal");

    /// <summary>Appends <paramref name="series"/> gauges every 15 s over [from, to), value = series * 1000 + step; one commit per step.</summary>
    public static void Fill(ISampleAppendable store, int series, long from, long to)
    {
        var refs = new ulong[series];
        for (var t = from; t < to; t += Interval)
        {
            var appender = store.Appender();
            for (var s = 0; s < series; s++)
            {
                refs[s] = appender.Append(refs[s], Labels(s), t, Expected(s, t));
            }
            appender.Commit();
        }
    }

    public static LabelSet Labels(int series) => Samples.Series("metric_" + (series % 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ("instance", "host-" + series.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("job", "node"));

    public static double Expected(int series, long t) => (series * 1000) + (t / Interval);

    /// <summary>Checks that every series holds exactly the samples of <see cref="Fill"/> over [from, to).</summary>
    public static void AssertHolds(ISampleQueryable store, int series, long from, long to)
    {
        using var querier = store.Querier(long.MinValue, long.MaxValue);
        var selected = querier.Select([LabelMatcher.Equal("job", "node")]);
        Assert.Equal(series, selected.Count);
        foreach (var one in selected)
        {
            var index = int.Parse(one.Labels.Get("instance")["host-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var samples = Samples.Read(one);
            Assert.Equal((int)((to - from + Interval - 1) / Interval), samples.Count);
            var t = from;
            foreach (var (timestamp, value) in samples)
            {
                Assert.Equal(t, timestamp);
                Assert.Equal(Expected(index, t), value);
                t += Interval;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
