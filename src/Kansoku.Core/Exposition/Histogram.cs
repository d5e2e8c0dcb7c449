using Kansoku.Core.Labels;

namespace Kansoku.Core.Exposition;

/// <summary>
/// Observations counted into buckets by upper bound (Prometheus' classic histogram), exposed as cumulative
/// <c>_bucket{le=…}</c>, <c>_sum</c> and <c>_count</c>. Observing is lock-free; a scrape that races an observation may
/// see it in the count but not yet in its bucket, which the next scrape corrects (client_golang avoids that with a
/// hot/cold swap we do not need for our own diagnostics).
/// </summary>
internal sealed class Histogram : Metric
{
    /// <summary>client_golang's <c>DefBuckets</c>, sized for request latencies in seconds.</summary>
    public static IReadOnlyList<double> DefaultBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _upperBounds;
    private readonly long[] _bucketCounts;
    private long _count;
    private double _sum;

    /// <param name="upperBounds">Strictly increasing finite bounds; the +Inf bucket is implicit.</param>
    public Histogram(IReadOnlyList<double> upperBounds)
        : this(Validate(upperBounds))
    {
    }

    /// <summary>A histogram over bounds <see cref="Validate"/> returned, shared by the children of one family.</summary>
    internal Histogram(double[] validatedUpperBounds)
    {
        _upperBounds = validatedUpperBounds;
        _bucketCounts = new long[_upperBounds.Length + 1];
    }

    /// <summary>The bounds as an array, checked to be finite and strictly increasing.</summary>
    internal static double[] Validate(IReadOnlyList<double> upperBounds)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        double[] bounds = [.. upperBounds];
        for (var i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                throw new ArgumentException("histogram buckets must be finite and strictly increasing", nameof(upperBounds));
            }
        }
        return bounds;
    }

    public long Count => Interlocked.Read(ref _count);

    public double Sum => Volatile.Read(ref _sum);

    public void Observe(double value)
    {
        var bucket = Array.BinarySearch(_upperBounds, value);
        // An exact bound belongs to its own bucket (le is "less or equal"); otherwise the complement is the first larger bound.
        Interlocked.Increment(ref _bucketCounts[bucket >= 0 ? bucket : ~bucket]);
        AddAtomically(ref _sum, value);
        Interlocked.Increment(ref _count);
    }

    internal override void Write(ExpositionWriter writer, string name, ReadOnlySpan<Label> labels)
    {
        long cumulative = 0;
        for (var i = 0; i < _bucketCounts.Length; i++)
        {
            cumulative += Interlocked.Read(ref _bucketCounts[i]);
            writer.WriteBucket(name, labels, i < _upperBounds.Length ? _upperBounds[i] : double.PositiveInfinity, cumulative);
        }
        writer.WriteSumAndCount(name, labels, Sum, cumulative);
    }
}
