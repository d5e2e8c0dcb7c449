using FsCheck.Xunit;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Chunks;

namespace Kansoku.Tsdb.Tests.Chunks;

public sealed class XorChunkTests
{
    [Fact]
    public void Special_values_round_trip_bit_exact()
    {
        double[] values =
        [
            1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, StaleMarker.Value, -0.0, 0.0,
            double.Epsilon, double.MaxValue, double.MinValue, BitConverter.UInt64BitsToDouble(0x7ff8000000000001UL), 42.5, 42.5,
        ];
        var timestamps = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            timestamps[i] = 1_700_000_000_000 + (i * 15_000);
        }

        var decoded = Decode(Encode(timestamps, values));

        Assert.Equal(timestamps, decoded.Timestamps);
        Assert.Equal(Bits(values), Bits(decoded.Values));
        Assert.True(StaleMarker.Is(decoded.Values[4]));
    }

    [Fact]
    public void Huge_and_tiny_timestamp_deltas_round_trip()
    {
        long[] timestamps = [long.MinValue / 2, -5, 0, 1, 2, 2, 8192, 8193, 1L << 20, (1L << 20) + 131_072, long.MaxValue / 2, long.MaxValue];
        var values = new double[timestamps.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i * 0.1;
        }

        var decoded = Decode(Encode(timestamps, values));

        Assert.Equal(timestamps, decoded.Timestamps);
        Assert.Equal(Bits(values), Bits(decoded.Values));
    }

    [Fact]
    public void Regular_scrapes_of_a_counter_take_few_bits_per_sample()
    {
        var timestamps = new long[120];
        var values = new double[120];
        for (var i = 0; i < 120; i++)
        {
            timestamps[i] = 1_700_000_000_000 + (i * 15_000) + (i % 3);
            values[i] = 1000 + (i * 3);
        }

        var chunk = Encode(timestamps, values);

        // Jittered timestamps cost ~1 byte/sample for dod, counter increments a few bits more.
        Assert.True(chunk.Length < 120 * 3, $"chunk of {chunk.Length} bytes");
        Assert.Equal(timestamps, Decode(chunk).Timestamps);
    }

    [Property(MaxTest = 300)]
    public bool Any_samples_round_trip(long[] timestamps, double[] values)
    {
        var count = Math.Min(Math.Min(timestamps.Length, values.Length), ushort.MaxValue);
        var ts = timestamps.AsSpan(0, count).ToArray();
        var vs = values.AsSpan(0, count).ToArray();
        if (count == 0)
        {
            return true;
        }
        var decoded = Decode(Encode(ts, vs));
        return ts.AsSpan().SequenceEqual(decoded.Timestamps) && Bits(vs).AsSpan().SequenceEqual(Bits(decoded.Values));
    }

    [Fact]
    public void Iterator_clips_to_the_range_and_seeks_across_chunks()
    {
        var chunks = new TestChunks();
        for (var c = 0; c < 3; c++)
        {
            var appender = default(XorAppender);
            for (var i = 0; i < 10; i++)
            {
                appender.Append((c * 100) + (i * 10), (c * 10) + i);
            }
            chunks.Add(appender);
        }

        var iterator = new ChunkSeriesIterator(chunks, 25, 215);
        Assert.True(iterator.Next());
        Assert.Equal(30, iterator.TimestampMs);
        Assert.True(iterator.Seek(30));
        Assert.Equal(30, iterator.TimestampMs);
        Assert.True(iterator.Seek(155));
        Assert.Equal(160, iterator.TimestampMs);
        Assert.Equal(16, iterator.Value);
        Assert.True(iterator.Seek(191));
        Assert.Equal(200, iterator.TimestampMs);
        Assert.True(iterator.Next());
        Assert.Equal(210, iterator.TimestampMs);
        Assert.False(iterator.Next());
        Assert.False(iterator.Seek(0));
    }

    [Fact]
    public void Merged_iterator_interleaves_and_keeps_the_first_sample_of_a_timestamp()
    {
        var first = new TestChunks();
        var second = new TestChunks();
        var a = default(XorAppender);
        var b = default(XorAppender);
        foreach (var t in new long[] { 0, 20, 40 })
        {
            a.Append(t, 1);
        }
        foreach (var t in new long[] { 10, 20, 50 })
        {
            b.Append(t, 2);
        }
        first.Add(a);
        second.Add(b);

        var merged = new MergedSampleIterator([new ChunkSeriesIterator(first, 0, 100), new ChunkSeriesIterator(second, 0, 100)]);
        var seen = new List<(long, double)>();
        while (merged.Next())
        {
            seen.Add((merged.TimestampMs, merged.Value));
        }

        Assert.Equal([(0, 1), (10, 2), (20, 1), (40, 1), (50, 2)], seen);
    }

    internal static byte[] Encode(long[] timestamps, double[] values)
    {
        var appender = default(XorAppender);
        for (var i = 0; i < timestamps.Length; i++)
        {
            appender.Append(timestamps[i], values[i]);
        }
        return appender.ToArray();
    }

    internal static (long[] Timestamps, double[] Values) Decode(byte[] chunk)
    {
        var decoder = new XorDecoder(chunk, 0, chunk.Length);
        var timestamps = new List<long>();
        var values = new List<double>();
        while (decoder.Next())
        {
            timestamps.Add(decoder.Timestamp);
            values.Add(decoder.Value);
        }
        return ([.. timestamps], [.. values]);
    }

    private static ulong[] Bits(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToUInt64Bits);

    private sealed class TestChunks : IChunkSequence
    {
        private readonly List<(long Min, long Max, byte[] Bytes)> _chunks = [];

        public int Count => _chunks.Count;

        public void Add(XorAppender appender) => _chunks.Add((appender.MinTime, appender.MaxTime, appender.ToArray()));

        public long MinTime(int index) => _chunks[index].Min;

        public long MaxTime(int index) => _chunks[index].Max;

        public ArraySegment<byte> Load(int index) => _chunks[index].Bytes;
    }
}
