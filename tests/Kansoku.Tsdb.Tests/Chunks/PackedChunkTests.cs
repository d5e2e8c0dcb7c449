using FsCheck;
using FsCheck.Xunit;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Chunks;

namespace Kansoku.Tsdb.Tests.Chunks;

public sealed class PackedChunkTests
{
    [Property(MaxTest = 300)]
    public bool Any_doubles_round_trip_bit_exact_through_a_sealed_chunk(long[] timestamps, double[] values)
    {
        var count = Math.Min(Math.Min(timestamps.Length, values.Length), 240);
        return count == 0 || RoundTrips(timestamps.AsSpan(0, count).ToArray(), values.AsSpan(0, count).ToArray());
    }

    [Property(MaxTest = 300)]
    public bool Decimal_series_round_trip_and_pack(PositiveInt length, int start, byte decimals, short step, bool jitter)
    {
        var count = 1 + (length.Get % 240);
        var exponent = decimals % 6;
        var timestamps = new long[count];
        var values = new double[count];
        var mantissa = (long)start;
        for (var i = 0; i < count; i++)
        {
            timestamps[i] = 1_700_000_000_000 + (i * 15_000L) + (jitter ? i % 5 : 0);
            mantissa += step * (i % 3);
            values[i] = double.Parse(Decimal(mantissa, exponent), System.Globalization.CultureInfo.InvariantCulture);
        }
        var sealedChunk = Seal(timestamps, values);
        var packs = count < 3 || Chunk.EncodingOf(sealedChunk) == ChunkEncoding.Packed;
        return packs && RoundTrips(timestamps, values);
    }

    [Fact]
    public void Special_values_keep_the_chunk_in_xor_and_survive()
    {
        foreach (var special in new[] { double.NaN, StaleMarker.Value, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.1 + 0.2 })
        {
            var values = new double[100];
            var timestamps = new long[100];
            for (var i = 0; i < values.Length; i++)
            {
                timestamps[i] = i * 15_000L;
                values[i] = i == 50 ? special : i;
            }

            Assert.Equal(ChunkEncoding.Xor, Chunk.EncodingOf(Seal(timestamps, values)));
            Assert.True(RoundTrips(timestamps, values));
        }
    }

    [Fact]
    public void Regular_counters_and_two_decimal_gauges_pack_small()
    {
        var timestamps = new long[240];
        var counter = new double[240];
        var gauge = new double[240];
        var random = new Random(7);
        for (var i = 0; i < 240; i++)
        {
            timestamps[i] = 1_700_000_000_000 + (i * 15_000L);
            counter[i] = 5_000_000 + (i * 12) + (i / 3);
            gauge[i] = Math.Round(20 + (random.Next(1000) / 100.0), 2);
        }

        // Aligned timestamps cost nothing; counter increments 12 or 13 cost one bit, a gauge its 10-bit spread.
        Assert.InRange(Seal(timestamps, counter).Length, 1, 60);
        Assert.InRange(Seal(timestamps, gauge).Length, 1, 330);
        Assert.True(RoundTrips(timestamps, counter));
        Assert.True(RoundTrips(timestamps, gauge));
    }

    [Fact]
    public void Legacy_chunks_without_the_encoding_byte_still_read()
    {
        var appender = default(XorAppender);
        for (var i = 0; i < 10; i++)
        {
            appender.Append(i * 1000L, i * 1.5);
        }
        var legacy = appender.ToArray().AsSpan(1).ToArray();

        var decoder = new ChunkDecoder(legacy);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(decoder.Next());
            Assert.Equal(i * 1000L, decoder.Timestamp);
            Assert.Equal(i * 1.5, decoder.Value);
        }
        Assert.False(decoder.Next());
        Assert.Equal(10, Chunk.SampleCount(legacy));
    }

    private static string Decimal(long mantissa, int exponent) =>
        exponent == 0 ? mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : (mantissa / Math.Pow(10, exponent)).ToString("F" + exponent.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Seal(long[] timestamps, double[] values)
    {
        var appender = default(XorAppender);
        for (var i = 0; i < timestamps.Length; i++)
        {
            appender.Append(timestamps[i], values[i]);
        }
        return Chunk.Seal(appender);
    }

    private static bool RoundTrips(long[] timestamps, double[] values)
    {
        var chunk = Seal(timestamps, values);
        if (Chunk.SampleCount(chunk) != timestamps.Length)
        {
            return false;
        }
        var decoder = new ChunkDecoder(chunk);
        for (var i = 0; i < timestamps.Length; i++)
        {
            if (!decoder.Next() || decoder.Timestamp != timestamps[i]
                || BitConverter.DoubleToUInt64Bits(decoder.Value) != BitConverter.DoubleToUInt64Bits(values[i]))
            {
                return false;
            }
        }
        return !decoder.Next();
    }
}
