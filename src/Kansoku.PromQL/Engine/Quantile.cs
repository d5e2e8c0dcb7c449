namespace Kansoku.PromQL.Engine;

/// <summary>The quantile estimators of quantile(), quantile_over_time() and histogram_quantile() on classic buckets.</summary>
internal static class Quantile
{
    /// <summary>
    /// Bucket counts closer than this (relative) are treated as equal: float noise from rate() over the buckets of one
    /// histogram must not count as a monotonicity violation.
    /// </summary>
    private const double SmallDeltaTolerance = 1e-12;

    /// <summary>The smallest normal double (Go's math.SmallestNonzeroFloat64 is subnormal; Prometheus uses this one).</summary>
    private const double MinNormal = 2.2250738585072014e-308;

    /// <summary>
    /// The φ-quantile of <paramref name="values"/> by linear interpolation between the closest ranks (Prometheus'
    /// quantile): NaN for no values or a NaN φ, -Inf below 0, +Inf above 1. Sorts <paramref name="values"/> in place.
    /// </summary>
    public static double OfValues(double q, Span<double> values)
    {
        if (values.Length == 0 || double.IsNaN(q))
        {
            return double.NaN;
        }
        if (q < 0)
        {
            return double.NegativeInfinity;
        }
        if (q > 1)
        {
            return double.PositiveInfinity;
        }
        values.Sort(CompareNaNFirst);
        var rank = q * (values.Length - 1);
        var lower = Math.Max(0, (int)Math.Floor(rank));
        var upper = Math.Min(values.Length - 1, lower + 1);
        var weight = rank - Math.Floor(rank);
        return values[lower] * (1 - weight) + values[upper] * weight;
    }

    /// <summary>
    /// The φ-quantile of a classic histogram given as cumulative <paramref name="buckets"/> in any order (Prometheus'
    /// BucketQuantile): sorts by upper bound, merges duplicate bounds, and lifts counts that go down so the cumulative
    /// counts are monotonic. Returns NaN without a +Inf bucket, with fewer than two buckets or with no observations.
    /// <paramref name="forcedMonotonic"/> tells the caller to add Prometheus' "input to histogram_quantile needed to be
    /// fixed for monotonicity" info annotation.
    /// </summary>
    public static double OfBuckets(double q, Span<Bucket> buckets, out bool forcedMonotonic)
    {
        forcedMonotonic = false;
        if (double.IsNaN(q))
        {
            return double.NaN;
        }
        if (q < 0)
        {
            return double.NegativeInfinity;
        }
        if (q > 1)
        {
            return double.PositiveInfinity;
        }
        if (buckets.Length == 0)
        {
            return double.NaN;
        }
        buckets.Sort(static (a, b) => a.UpperBound.CompareTo(b.UpperBound));
        if (!double.IsPositiveInfinity(buckets[^1].UpperBound))
        {
            return double.NaN;
        }
        buckets = buckets[..Coalesce(buckets)];
        forcedMonotonic = EnsureMonotonic(buckets);
        if (buckets.Length < 2)
        {
            return double.NaN;
        }
        var observations = buckets[^1].Count;
        if (observations == 0)
        {
            return double.NaN;
        }
        var rank = q * observations;
        var b = FirstAtLeast(buckets[..^1], rank);
        if (b == buckets.Length - 1)
        {
            // The rank falls into the +Inf bucket: the best estimate is the highest finite bound.
            return buckets[^2].UpperBound;
        }
        if (b == 0 && buckets[0].UpperBound <= 0)
        {
            return buckets[0].UpperBound;
        }
        var bucketStart = 0.0;
        var bucketEnd = buckets[b].UpperBound;
        var count = buckets[b].Count;
        if (b > 0)
        {
            bucketStart = buckets[b - 1].UpperBound;
            count -= buckets[b - 1].Count;
            rank -= buckets[b - 1].Count;
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /// <summary>
    /// The share of a classic histogram's observations between <paramref name="lower"/> and <paramref name="upper"/>,
    /// interpolating linearly inside the buckets the bounds fall into (the first bucket starts at 0 when its bound is
    /// positive, as for quantiles). NaN without a +Inf bucket, without observations or for a NaN bound.
    /// </summary>
    public static double FractionOfBuckets(double lower, double upper, Span<Bucket> buckets)
    {
        if (buckets.Length == 0)
        {
            return double.NaN;
        }
        buckets.Sort(static (a, b) => a.UpperBound.CompareTo(b.UpperBound));
        if (!double.IsPositiveInfinity(buckets[^1].UpperBound))
        {
            return double.NaN;
        }
        buckets = buckets[..Coalesce(buckets)];
        var count = buckets[^1].Count;
        if (count == 0 || double.IsNaN(lower) || double.IsNaN(upper))
        {
            return double.NaN;
        }
        if (lower >= upper)
        {
            return 0;
        }
        return (RankAt(upper, buckets, isLowerBound: false) - RankAt(lower, buckets, isLowerBound: true)) / count;
    }

    /// <summary>
    /// The estimated number of observations at or below <paramref name="value"/>. A bucket of infinite width adds none
    /// to the interval: a lower bound inside the first, unbounded bucket counts the whole bucket as below it.
    /// </summary>
    private static double RankAt(double value, ReadOnlySpan<Bucket> buckets, bool isLowerBound)
    {
        var below = 0.0;
        for (var i = 0; i < buckets.Length; i++)
        {
            var upperBound = buckets[i].UpperBound;
            var lowerBound = i > 0 ? buckets[i - 1].UpperBound : upperBound > 0 ? 0 : double.NegativeInfinity;
            if (value >= upperBound)
            {
                below = buckets[i].Count;
                continue;
            }
            if (value <= lowerBound || double.IsInfinity(lowerBound) || double.IsInfinity(upperBound))
            {
                // Nothing is known about where observations sit in an unbounded bucket: none are counted from it.
                return isLowerBound && double.IsNegativeInfinity(lowerBound) && value > lowerBound ? buckets[i].Count : below;
            }
            return below + (buckets[i].Count - below) * (value - lowerBound) / (upperBound - lowerBound);
        }
        return below;
    }

    /// <summary>NaN sorts lowest, as Go's sort of float64 values does.</summary>
    private static int CompareNaNFirst(double a, double b) => a.CompareTo(b);

    /// <summary>Merges buckets with the same upper bound (sorted input) by adding their counts; returns the new length.</summary>
    private static int Coalesce(Span<Bucket> buckets)
    {
        var last = 0;
        for (var i = 1; i < buckets.Length; i++)
        {
            if (buckets[i].UpperBound == buckets[last].UpperBound)
            {
                buckets[last] = buckets[last] with { Count = buckets[last].Count + buckets[i].Count };
            }
            else
            {
                buckets[++last] = buckets[i];
            }
        }
        return last + 1;
    }

    private static bool EnsureMonotonic(Span<Bucket> buckets)
    {
        var forced = false;
        var previous = buckets[0].Count;
        for (var i = 1; i < buckets.Length; i++)
        {
            var current = buckets[i].Count;
            if (current == previous)
            {
                continue;
            }
            if (AlmostEqual(previous, current, SmallDeltaTolerance))
            {
                buckets[i] = buckets[i] with { Count = previous };
                continue;
            }
            if (current < previous)
            {
                buckets[i] = buckets[i] with { Count = previous };
                forced = true;
                continue;
            }
            previous = current;
        }
        return forced;
    }

    private static int FirstAtLeast(ReadOnlySpan<Bucket> buckets, double rank)
    {
        int low = 0, high = buckets.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (buckets[middle].Count >= rank)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return low;
    }

    /// <summary>Prometheus' almost.Equal: equal, or a relative difference below epsilon (absolute near zero).</summary>
    internal static bool AlmostEqual(double a, double b, double epsilon)
    {
        if (a == b)
        {
            return true;
        }
        var absSum = Math.Abs(a) + Math.Abs(b);
        var difference = Math.Abs(a - b);
        if (a == 0 || b == 0 || absSum < MinNormal)
        {
            return difference < epsilon * MinNormal;
        }
        return difference / Math.Min(absSum, double.MaxValue) < epsilon;
    }

    /// <summary>One cumulative bucket of a classic histogram: the count of observations at or below the bound.</summary>
    internal readonly record struct Bucket(double UpperBound, double Count);
}
