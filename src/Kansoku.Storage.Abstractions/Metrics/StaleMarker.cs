namespace Kansoku.Storage.Metrics;

/// <summary>
/// Prometheus' staleness marker: a NaN with the bit pattern 0x7ff0000000000002, written when a series or target goes
/// away, so queries stop returning it at once instead of after the lookback delta. Compare bits, not values (NaN != NaN).
/// </summary>
public static class StaleMarker
{
    public const ulong Bits = 0x7ff0000000000002UL;

    public static double Value { get; } = BitConverter.UInt64BitsToDouble(Bits);

    public static bool Is(double value) => BitConverter.DoubleToUInt64Bits(value) == Bits;
}
