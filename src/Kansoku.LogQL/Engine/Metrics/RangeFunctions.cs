using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>The range aggregations over the samples of one window (Loki's range_vector.go), each exactly as Loki computes it.</summary>
internal static class RangeFunctions
{
    /// <param name="samples">The window's samples in time order; never empty.</param>
    /// <param name="rangeEnd">The window's end (Unix nanoseconds, offset applied); rate_counter extrapolates to it.</param>
    public static double Aggregate(RangeAggregationExpr expression, ReadOnlySpan<WindowSample> samples, long rangeEnd)
    {
        var rangeNanos = expression.Range.Range.Ticks * 100;
        var rangeSeconds = expression.Range.Range.TotalSeconds;
        switch (expression.Operation)
        {
            case RangeOperation.CountOverTime:
                return samples.Length;
            case RangeOperation.Rate:
                return (expression.Range.Unwrap is null ? samples.Length : Sum(samples)) / rangeSeconds;
            case RangeOperation.RateCounter:
                return ExtrapolatedRate(samples, rangeNanos, rangeEnd);
            case RangeOperation.BytesRate:
                return Sum(samples) / rangeSeconds;
            case RangeOperation.BytesOverTime or RangeOperation.SumOverTime:
                return Sum(samples);
            case RangeOperation.AvgOverTime:
                return Average(samples);
            case RangeOperation.MaxOverTime:
                var max = samples[0].Value;
                foreach (var sample in samples)
                {
                    if (sample.Value > max || double.IsNaN(max))
                    {
                        max = sample.Value;
                    }
                }
                return max;
            case RangeOperation.MinOverTime:
                var min = samples[0].Value;
                foreach (var sample in samples)
                {
                    if (sample.Value < min || double.IsNaN(min))
                    {
                        min = sample.Value;
                    }
                }
                return min;
            case RangeOperation.StdvarOverTime:
                return Variance(samples);
            case RangeOperation.StddevOverTime:
                return Math.Sqrt(Variance(samples));
            case RangeOperation.QuantileOverTime:
                return Quantile(expression.Parameter ?? 0, samples);
            case RangeOperation.FirstOverTime:
                return samples[0].Value;
            case RangeOperation.LastOverTime:
                return samples[^1].Value;
            default:
                return 1;
        }
    }

    private static double Sum(ReadOnlySpan<WindowSample> samples)
    {
        var sum = 0d;
        foreach (var sample in samples)
        {
            sum += sample.Value;
        }
        return sum;
    }

    /// <summary>Incremental mean that keeps an infinite mean instead of turning it into NaN.</summary>
    private static double Average(ReadOnlySpan<WindowSample> samples)
    {
        double mean = 0, count = 0;
        foreach (var sample in samples)
        {
            count++;
            var value = sample.Value;
            if (double.IsInfinity(mean))
            {
                if (double.IsInfinity(value) && (mean > 0) == (value > 0))
                {
                    continue;
                }
                if (!double.IsInfinity(value) && !double.IsNaN(value))
                {
                    continue;
                }
            }
            mean += (value / count) - (mean / count);
        }
        return mean;
    }

    /// <summary>Population variance, Welford's algorithm.</summary>
    private static double Variance(ReadOnlySpan<WindowSample> samples)
    {
        double aux = 0, count = 0, mean = 0;
        foreach (var sample in samples)
        {
            count++;
            var delta = sample.Value - mean;
            mean += delta / count;
            aux += delta * (sample.Value - mean);
        }
        return aux / count;
    }

    /// <summary>Prometheus' quantile: linear interpolation between the closest ranks; q &lt; 0 is -Inf, q &gt; 1 is +Inf.</summary>
    public static double Quantile(double q, ReadOnlySpan<WindowSample> samples)
    {
        var values = new double[samples.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = samples[i].Value;
        }
        return Quantile(q, values);
    }

    public static double Quantile(double q, double[] values)
    {
        if (values.Length == 0)
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
        // Go's sort of HeapByMaxValue puts NaN first (Less reports NaN as smaller).
        Array.Sort(values, static (a, b) => double.IsNaN(a) ? (double.IsNaN(b) ? 0 : -1) : double.IsNaN(b) ? 1 : a.CompareTo(b));
        var n = (double)values.Length;
        var rank = q * (n - 1);
        var lower = Math.Max(0, Math.Floor(rank));
        var upper = Math.Min(n - 1, lower + 1);
        var weight = rank - Math.Floor(rank);
        return (values[(int)lower] * (1 - weight)) + (values[(int)upper] * weight);
    }

    /// <summary>
    /// Prometheus' extrapolated counter rate, as Loki adapts it: nanosecond times, and the window's bounds taken from
    /// the query rather than from the samples. Fewer than two samples give 0.
    /// </summary>
    private static double ExtrapolatedRate(ReadOnlySpan<WindowSample> samples, long rangeNanos, long rangeEnd)
    {
        if (samples.Length < 2)
        {
            return 0;
        }
        var rangeStart = rangeEnd - rangeNanos;
        var result = samples[^1].Value - samples[0].Value;
        var last = 0d;
        foreach (var sample in samples)
        {
            if (sample.Value < last)
            {
                result += last;
            }
            last = sample.Value;
        }
        var durationToStart = (samples[0].Timestamp - rangeStart) / 1e9;
        var durationToEnd = (rangeEnd - samples[^1].Timestamp) / 1e9;
        var sampledInterval = (samples[^1].Timestamp - samples[0].Timestamp) / 1e9;
        var averageBetween = sampledInterval / (samples.Length - 1);
        var threshold = averageBetween * 1.1;
        if (durationToStart >= threshold)
        {
            durationToStart = averageBetween / 2;
        }
        var durationToZero = durationToStart;
        if (result > 0 && samples[0].Value >= 0)
        {
            durationToZero = sampledInterval * (samples[0].Value / result);
        }
        if (durationToZero < durationToStart)
        {
            durationToStart = durationToZero;
        }
        if (durationToEnd >= threshold)
        {
            durationToEnd = averageBetween / 2;
        }
        var extrapolated = sampledInterval + durationToStart + durationToEnd;
        result *= extrapolated / sampledInterval;
        return result / (rangeNanos / 1e9);
    }
}
