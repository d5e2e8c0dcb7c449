using System.Globalization;
using Kansoku.Core.Labels;

namespace Kansoku.Tsdb.Tests.Tools;

/// <summary>
/// <c>measure-head SERIES MINUTES DIR</c>: appends MINUTES of 15 s scrapes of SERIES series (labelled as bench/metrics/Synth's, half
/// counters growing by small integers, half two-decimal gauges) to a store in DIR and prints the managed heap the head holds per series
/// and per sample, the series' labels excluded.
/// </summary>
internal static class HeadMeasurement
{
    public static async Task<int> Run(int seriesCount, int minutes, string directory)
    {
        var labels = new LabelSet[seriesCount];
        for (var s = 0; s < seriesCount; s++)
        {
            // Shaped as bench/metrics/Synth's targets: 2052 series each, of 27 paths x 4 methods x 19 statuses or buckets.
            var inTarget = s % 2052;
            labels[s] = LabelSet.From(("__name__", s % 2 == 0 ? "requests_total" : "in_flight"), ("instance", $"localhost:{19000 + (s / 2052)}"),
                ("job", "synth"), ("path", $"/api/v1/resource{inTarget / 76}"), ("method", $"M{inTarget / 19 % 4}"),
                ("status", (inTarget % 19).ToString(CultureInfo.InvariantCulture)));
        }
        var baseline = HeapBytes();
        await using var store = Tsdb.Open(new TsdbOptions { DataDirectory = directory, BackgroundCompaction = false }, TimeProvider.System);
        var refs = new ulong[seriesCount];
        var random = new Random(1);
        var steps = minutes * 4;
        const long Start = 1_764_806_400_000;
        for (var step = 0; step < steps; step++)
        {
            var appender = store.Appender();
            for (var s = 0; s < seriesCount; s++)
            {
                // One commit per target, as its scrape makes.
                if (s > 0 && s % 2052 == 0)
                {
                    appender.Commit();
                    appender = store.Appender();
                }
                var value = s % 2 == 0 ? (step * (s % 21)) + (step / 3) : Math.Round((s % 50) + (random.Next(1000) / 100.0), 2);
                refs[s] = appender.Append(refs[s], labels[s], Start + (step * 15_000L), value);
            }
            appender.Commit();
        }
        var held = HeapBytes() - baseline;
        Console.WriteLine($"head: {held:N0} B for {seriesCount:N0} series, {(long)seriesCount * steps:N0} samples: "
            + $"{(double)held / seriesCount:F1} B/series, {(double)held / seriesCount / steps:F3} B/sample");
        GC.KeepAlive(labels);
        return 0;
    }

    private static long HeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
