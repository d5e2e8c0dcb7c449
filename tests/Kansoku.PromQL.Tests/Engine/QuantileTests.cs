using FsCheck.Xunit;
using Kansoku.PromQL.Engine;

namespace Kansoku.PromQL.Tests.Engine;

public sealed class QuantileTests
{
    [Fact]
    public void Bucket_quantile_interpolates_inside_the_bucket_and_lifts_non_monotonic_counts()
    {
        Quantile.Bucket[] buckets = [new(1, 10), new(2, 20), new(double.PositiveInfinity, 20)];
        Assert.Equal(1.5, Quantile.OfBuckets(0.75, buckets, out var forced));
        Assert.False(forced);
        Quantile.Bucket[] broken = [new(1, 10), new(2, 5), new(double.PositiveInfinity, 10)];
        Assert.Equal(0.5, Quantile.OfBuckets(0.5, broken, out forced));
        Assert.True(forced);
    }

    [Fact]
    public void Bucket_quantile_without_an_infinite_bucket_is_NaN()
    {
        Quantile.Bucket[] buckets = [new(1, 10), new(2, 20)];
        Assert.True(double.IsNaN(Quantile.OfBuckets(0.5, buckets, out _)));
    }

    [Property]
    public bool Quantile_of_values_lies_between_their_minimum_and_maximum(double[] values, byte percent)
    {
        var finite = Array.FindAll(values ?? [], double.IsFinite);
        if (finite.Length == 0)
        {
            return true;
        }
        var q = Math.Min(percent, (byte)100) / 100.0;
        var result = Quantile.OfValues(q, finite.ToArray());
        return result >= finite.Min() - 1e-9 * Math.Abs(finite.Min()) && result <= finite.Max() + 1e-9 * Math.Abs(finite.Max());
    }
}
