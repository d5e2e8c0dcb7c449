using System.Globalization;
using Kansoku.Core.Labels;
using Kansoku.Tsdb.Chunks;
using Kansoku.Tsdb.Head;

namespace Kansoku.Tsdb.Tests.Tools;

/// <summary>
/// <c>measure-import FILE DIR</c>: backfills an OpenMetrics file of bench/metrics/Synth (one sample a line, seconds
/// timestamps, no escapes) into DIR and prints where the bytes went: per file of each block, and per metric family the
/// chunk bytes split into timestamps (the same times with a constant value) and values; then the time to decode every
/// series' chunks, XOR-only against as sealed (best of five rounds, on a shared machine only a rough comparison).
/// </summary>
internal static class ImportMeasurement
{
    public static int Run(string file, string directory)
    {
        var backfiller = new BlockBackfiller(directory, TimeProvider.System);
        var families = new Dictionary<string, FamilyCost>(StringComparer.Ordinal);
        var seriesByKey = new Dictionary<string, LabelSet>(StringComparer.Ordinal);
        var times = new List<long>();
        var values = new List<double>();
        string? currentKey = null;
        LabelSet? currentLabels = null;
        foreach (var line in File.ReadLines(file))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var close = line.LastIndexOf('}');
            var key = line[..(close + 1)];
            var fields = line[(close + 2)..].Split(' ');
            var value = double.Parse(fields[0], CultureInfo.InvariantCulture);
            var timestamp = (long)(double.Parse(fields[1], CultureInfo.InvariantCulture) * 1000);
            if (key != currentKey)
            {
                Account(families, currentLabels, times, values);
                currentKey = key;
                if (!seriesByKey.TryGetValue(key, out currentLabels))
                {
                    currentLabels = Parse(key);
                    seriesByKey.Add(key, currentLabels);
                }
            }
            backfiller.Add(currentLabels!, timestamp, value);
            times.Add(timestamp);
            values.Add(value);
        }
        Account(families, currentLabels, times, values);
        backfiller.Finish();
        var samples = backfiller.SamplesAdded;

        long total = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var size = new FileInfo(path).Length;
            total += size;
            Console.WriteLine($"{Path.GetRelativePath(directory, path),-50} {size,12:N0} B  {(double)size / backfiller.SamplesAdded,6:F3} B/sample");
        }
        Console.WriteLine($"total {total:N0} B for {backfiller.SamplesAdded:N0} samples of {seriesByKey.Count:N0} series: {(double)total / backfiller.SamplesAdded:F3} B/sample, {(double)total / seriesByKey.Count:F1} B/series");
        foreach (var (name, cost) in families)
        {
            Console.WriteLine($"{name,-40} {cost.Series,7} series {cost.Samples,10:N0} samples: chunks {(double)cost.ChunkBytes / cost.Samples:F3} B/sample, of which timestamps {(double)cost.TimestampBytes / cost.Samples:F3}");
        }
        var xor = new List<byte[]>();
        var sealedChunks = new List<byte[]>();
        foreach (var cost in families.Values)
        {
            xor.AddRange(cost.XorChunks);
            sealedChunks.AddRange(cost.SealedChunks);
        }
        Console.WriteLine($"decode: XOR only {DecodeNanoseconds(xor, samples):F2} ns/sample, sealed {DecodeNanoseconds(sealedChunks, samples):F2} ns/sample");
        return 0;
    }

    private static void Account(Dictionary<string, FamilyCost> families, LabelSet? labels, List<long> times, List<double> values)
    {
        if (labels is null || times.Count == 0)
        {
            return;
        }
        var name = labels.Get("__name__");
        if (!families.TryGetValue(name, out var cost))
        {
            cost = new FamilyCost();
            families.Add(name, cost);
        }
        cost.Series++;
        cost.Samples += times.Count;
        foreach (var chunk in BlockChunks(times, values, constant: true, sealAsBlocks: true))
        {
            cost.TimestampBytes += chunk.Length;
        }
        foreach (var chunk in BlockChunks(times, values, constant: false, sealAsBlocks: true))
        {
            cost.ChunkBytes += chunk.Length;
            cost.SealedChunks.Add(chunk);
        }
        cost.XorChunks.AddRange(BlockChunks(times, values, constant: false, sealAsBlocks: false));
        times.Clear();
        values.Clear();
    }

    /// <summary>The series' chunks of <see cref="MemSeries.SamplesPerChunk"/> samples as a block holds them, or left XOR.</summary>
    private static List<byte[]> BlockChunks(List<long> times, List<double> values, bool constant, bool sealAsBlocks)
    {
        var chunks = new List<byte[]>();
        var appender = default(XorAppender);
        for (var i = 0; i <= times.Count; i++)
        {
            if (appender.Count == MemSeries.SamplesPerChunk || (i == times.Count && appender.Count > 0))
            {
                chunks.Add(sealAsBlocks ? Chunk.Seal(appender) : appender.ToArray());
                appender = default;
            }
            if (i < times.Count)
            {
                appender.Append(times[i], constant ? 0 : values[i]);
            }
        }
        return chunks;
    }

    private static double DecodeNanoseconds(List<byte[]> chunks, long samples)
    {
        var best = double.MaxValue;
        double checksum = 0;
        for (var round = 0; round < 5; round++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var chunk in chunks)
            {
                var decoder = new ChunkDecoder(chunk);
                while (decoder.Next())
                {
                    checksum += decoder.Value + decoder.Timestamp;
                }
            }
            best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalNanoseconds / samples);
        }
        GC.KeepAlive(checksum);
        return best;
    }

    private static LabelSet Parse(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        var labels = new List<(string, string)> { ("__name__", key[..open]) };
        var position = open + 1;
        while (position < key.Length - 1)
        {
            var equals = key.IndexOf('=', position);
            var end = key.IndexOf('"', equals + 2);
            labels.Add((key[position..equals], key[(equals + 2)..end]));
            position = end + 2;
        }
        return LabelSet.From([.. labels]);
    }

    private sealed class FamilyCost
    {
        public int Series;
        public long Samples;
        public long ChunkBytes;
        public long TimestampBytes;
        public readonly List<byte[]> XorChunks = [];
        public readonly List<byte[]> SealedChunks = [];
    }
}
