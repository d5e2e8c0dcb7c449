namespace Kansoku.Tsdb;

/// <summary>Block-range arithmetic on millisecond timestamps.</summary>
internal static class TimeRanges
{
    /// <summary>The start of the range of width <paramref name="width"/> holding <paramref name="timestampMs"/> (floor, also below 0).</summary>
    public static long Floor(long timestampMs, long width)
    {
        var remainder = timestampMs % width;
        return remainder < 0 ? timestampMs - remainder - width : timestampMs - remainder;
    }
}
