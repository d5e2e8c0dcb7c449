namespace Kansoku.Tsdb.Chunks;

/// <summary>The bit widths shared by the XOR chunk writer and reader.</summary>
internal static class XorBuckets
{
    /// <summary>Leading zeros are stored in 5 bits.</summary>
    public const int MaxLeading = 31;

    /// <summary>Whether <paramref name="value"/> lies in the range an <paramref name="bits"/>-bit bucket holds, as Prometheus' bitRange.</summary>
    public static bool Fits(long value, int bits) => value >= -(1L << (bits - 1)) + 1 && value <= 1L << (bits - 1);

    /// <summary>Sign-extends a delta-of-delta read from an <paramref name="bits"/>-bit bucket.</summary>
    public static long FromBucket(ulong raw, int bits)
    {
        var value = (long)raw;
        return value > 1L << (bits - 1) ? value - (1L << bits) : value;
    }
}
