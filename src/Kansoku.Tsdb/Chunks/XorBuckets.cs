namespace Kansoku.Tsdb.Chunks;

/// <summary>The bit widths shared by the XOR chunk writer and reader.</summary>
internal static class XorBuckets
{
    /// <summary>Leading zeros are stored in 5 bits.</summary>
    public const int MaxLeading = 31;

    /// <summary>Whether <paramref name="value"/> lies in the range an <paramref name="bits"/>-bit bucket holds, as Prometheus' bitRange.</summary>
    public static bool Fits(long value, int bits) => value >= -(1L << (bits - 1)) + 1 && value <= 1L << (bits - 1);

    /// <summary>Integers a double holds exactly (|x| below 2^53), except -0.0, whose sign an integer would lose.</summary>
    public static bool IsExactInteger(double value) =>
        Math.Abs(value) < 9007199254740992.0 && value == Math.Floor(value) && BitConverter.DoubleToUInt64Bits(value) != 0x8000000000000000UL;

    /// <summary>Sign-extends a delta-of-delta read from an <paramref name="bits"/>-bit bucket.</summary>
    public static long FromBucket(ulong raw, int bits)
    {
        var value = (long)raw;
        return value > 1L << (bits - 1) ? value - (1L << bits) : value;
    }
}
