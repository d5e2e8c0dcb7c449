namespace Kansoku.PromQL.Engine;

/// <summary>
/// The float kernels of the range-vector functions (rate, *_over_time, deriv, ...): each gets the points of one
/// series inside one window, oldest first, and either yields a value or nothing (the series drops out of the result).
/// The engine selects the window, attaches labels and annotations.
/// </summary>
internal static class RangeFunctions
{
    /// <summary>
    /// rate (counter, per second), increase (counter) and delta (gauge) with Prometheus' extrapolation: the change
    /// between the first and last points (plus every value before a counter reset) is stretched to the window's edges
    /// when the points reach within 1.1 average intervals of them, else by half an interval; a counter is never
    /// extrapolated below zero.
    /// </summary>
    public static bool TryExtrapolatedRate(
        ReadOnlySpan<FloatPoint> points, long rangeStartMs, long rangeEndMs, bool isCounter, bool isRate, out double result)
    {
        result = 0;
        if (points.Length < 2)
        {
            return false;
        }
        var first = points[0];
        var last = points[^1];
        var change = last.Value - first.Value;
        if (isCounter)
        {
            for (var i = 1; i < points.Length; i++)
            {
                if (points[i].Value < points[i - 1].Value)
                {
                    change += points[i - 1].Value;
                }
            }
        }
        var durationToStart = (first.TimestampMs - rangeStartMs) / 1000.0;
        var durationToEnd = (rangeEndMs - last.TimestampMs) / 1000.0;
        var sampledInterval = (last.TimestampMs - first.TimestampMs) / 1000.0;
        var averageInterval = sampledInterval / (points.Length - 1);
        var threshold = averageInterval * 1.1;
        if (durationToStart >= threshold)
        {
            durationToStart = averageInterval / 2;
        }
        if (isCounter && change > 0 && first.Value >= 0)
        {
            var durationToZero = sampledInterval * (first.Value / change);
            durationToStart = Math.Min(durationToStart, durationToZero);
        }
        if (durationToEnd >= threshold)
        {
            durationToEnd = averageInterval / 2;
        }
        var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate)
        {
            factor /= (rangeEndMs - rangeStartMs) / 1000.0;
        }
        result = change * factor;
        return true;
    }

    /// <summary>
    /// rate / increase / delta over an <c>anchored</c> or <c>smoothed</c> range (experimental): no extrapolation; the
    /// window's points start with the last one at or before the range start (the anchor). Smoothed ranges interpolate
    /// the values at both edges from the points around them (a counter reset between them interpolates from 0).
    /// </summary>
    public static bool TryExtendedRate(
        ReadOnlySpan<FloatPoint> points, long rangeStartMs, long rangeEndMs, bool smoothed, bool isCounter, bool isRate, out double result)
    {
        result = 0;
        var last = points.Length - 1;
        if (last < 0 || points[last].TimestampMs <= rangeStartMs)
        {
            return false;
        }
        var left = smoothed && points[0].TimestampMs < rangeStartMs && last > 0
            ? Interpolate(points[0], points[1], rangeStartMs, isCounter)
            : points[0].Value;
        var right = smoothed && last > 0 && points[last].TimestampMs > rangeEndMs
            ? Interpolate(points[last - 1], points[last], rangeEndMs, isCounter)
            : points[last].Value;
        result = right - left;
        if (isCounter)
        {
            var from = points[0].TimestampMs <= rangeStartMs ? 1 : 0;
            var to = points[last].TimestampMs >= rangeEndMs ? last - 1 : last;
            var previous = left;
            for (var i = from; i <= to; i++)
            {
                if (points[i].Value < previous)
                {
                    result += previous;
                }
                previous = points[i].Value;
            }
            if (right < previous)
            {
                result += previous;
            }
        }
        if (isRate)
        {
            result /= (rangeEndMs - rangeStartMs) / 1000.0;
        }
        return true;
    }

    private static double Interpolate(FloatPoint before, FloatPoint after, long timestampMs, bool isCounter)
    {
        var start = isCounter && after.Value < before.Value ? 0 : before.Value;
        return start + (after.Value - start) * (timestampMs - before.TimestampMs) / (after.TimestampMs - before.TimestampMs);
    }

    /// <summary>
    /// irate (counter, per second) and idelta (gauge) from the last two points; after a counter reset irate takes the
    /// last value as the increase. Nothing for fewer than two points or two points at the same time.
    /// </summary>
    public static bool TryInstantRate(ReadOnlySpan<FloatPoint> points, bool isRate, out double result)
    {
        result = 0;
        if (points.Length < 2)
        {
            return false;
        }
        var previous = points[^2];
        var last = points[^1];
        var intervalMs = last.TimestampMs - previous.TimestampMs;
        if (intervalMs == 0)
        {
            return false;
        }
        result = isRate && last.Value < previous.Value ? last.Value : last.Value - previous.Value;
        if (isRate)
        {
            result /= intervalMs / 1000.0;
        }
        return true;
    }

    /// <summary>avg_over_time: a compensated sum divided by the count, falling back to an incremental mean once the sum overflows.</summary>
    public static double Average(ReadOnlySpan<FloatPoint> points)
    {
        var sum = points[0].Value;
        var compensation = 0.0;
        var mean = 0.0;
        var incremental = false;
        var count = 1.0;
        for (var i = 1; i < points.Length; i++)
        {
            count = i + 1;
            var value = points[i].Value;
            if (!incremental)
            {
                var savedCompensation = compensation;
                var newSum = KahanSum.Add(value, sum, ref compensation);
                if (!double.IsInfinity(newSum))
                {
                    sum = newSum;
                    continue;
                }
                incremental = true;
                compensation = savedCompensation / (count - 1);
                mean = sum / (count - 1);
            }
            var keep = (count - 1) / count;
            compensation *= keep;
            mean = KahanSum.Add(value / count, keep * mean, ref compensation);
        }
        return incremental ? mean + compensation : sum / count + compensation / count;
    }

    /// <summary>sum_over_time with compensation (which is dropped once the sum is infinite).</summary>
    public static double Sum(ReadOnlySpan<FloatPoint> points)
    {
        var sum = 0.0;
        var compensation = 0.0;
        foreach (var point in points)
        {
            sum = KahanSum.Add(point.Value, sum, ref compensation);
        }
        return double.IsInfinity(sum) ? sum : sum + compensation;
    }

    /// <summary>max_over_time / min_over_time: NaN only when every value is NaN.</summary>
    public static double Extreme(ReadOnlySpan<FloatPoint> points, bool maximum) => points[ExtremeIndex(points, maximum, latestOnTie: false)].Value;

    /// <summary>ts_of_max_over_time / ts_of_min_over_time: the latest time the extreme value is reached, in seconds.</summary>
    public static double TimeOfExtreme(ReadOnlySpan<FloatPoint> points, bool maximum) =>
        points[ExtremeIndex(points, maximum, latestOnTie: true)].TimestampMs / 1000.0;

    private static int ExtremeIndex(ReadOnlySpan<FloatPoint> points, bool maximum, bool latestOnTie)
    {
        var best = 0;
        for (var i = 1; i < points.Length; i++)
        {
            var value = points[i].Value;
            var bestValue = points[best].Value;
            var better = maximum ? value > bestValue : value < bestValue;
            if (better || double.IsNaN(bestValue) || (latestOnTie && value == bestValue))
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>stdvar_over_time (and, squared-rooted, stddev_over_time): Welford's method with compensated sums.</summary>
    public static double Variance(ReadOnlySpan<FloatPoint> points)
    {
        var count = 0.0;
        double mean = 0, meanCompensation = 0, squares = 0, squaresCompensation = 0;
        foreach (var point in points)
        {
            count++;
            var delta = point.Value - (mean + meanCompensation);
            mean = KahanSum.Add(delta / count, mean, ref meanCompensation);
            squares = KahanSum.Add(delta * (point.Value - (mean + meanCompensation)), squares, ref squaresCompensation);
        }
        return (squares + squaresCompensation) / count;
    }

    /// <summary>quantile_over_time: the values are copied to <paramref name="scratch"/> (at least as long) and sorted there.</summary>
    public static double QuantileOverTime(double q, ReadOnlySpan<FloatPoint> points, Span<double> scratch)
    {
        var values = CopyValues(points, scratch);
        return Quantile.OfValues(q, values);
    }

    /// <summary>mad_over_time: the median of the absolute deviations from the median; NaN when any value is NaN.</summary>
    public static double MedianAbsoluteDeviation(ReadOnlySpan<FloatPoint> points, Span<double> scratch)
    {
        foreach (var point in points)
        {
            if (double.IsNaN(point.Value))
            {
                return double.NaN;
            }
        }
        var values = CopyValues(points, scratch);
        var median = Quantile.OfValues(0.5, values);
        for (var i = 0; i < points.Length; i++)
        {
            values[i] = Math.Abs(points[i].Value - median);
        }
        return Quantile.OfValues(0.5, values);
    }

    private static Span<double> CopyValues(ReadOnlySpan<FloatPoint> points, Span<double> scratch)
    {
        var values = scratch[..points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            values[i] = points[i].Value;
        }
        return values;
    }

    /// <summary>changes: how often the value differs from the one before (two NaNs in a row are no change).</summary>
    public static double Changes(ReadOnlySpan<FloatPoint> points)
    {
        var changes = 0;
        for (var i = 1; i < points.Length; i++)
        {
            var previous = points[i - 1].Value;
            var current = points[i].Value;
            if (current != previous && !(double.IsNaN(current) && double.IsNaN(previous)))
            {
                changes++;
            }
        }
        return changes;
    }

    /// <summary>resets: how often the value goes down.</summary>
    public static double Resets(ReadOnlySpan<FloatPoint> points)
    {
        var resets = 0;
        for (var i = 1; i < points.Length; i++)
        {
            if (points[i].Value < points[i - 1].Value)
            {
                resets++;
            }
        }
        return resets;
    }

    /// <summary>deriv: the per-second slope of the least-squares line; nothing for fewer than two points.</summary>
    public static bool TryDerivative(ReadOnlySpan<FloatPoint> points, out double slope)
    {
        slope = 0;
        if (points.Length < 2)
        {
            return false;
        }
        (slope, _) = LinearRegression(points, points[0].TimestampMs);
        return true;
    }

    /// <summary>predict_linear: the least-squares line's value <paramref name="seconds"/> after <paramref name="evaluationMs"/>.</summary>
    public static bool TryPredictLinear(ReadOnlySpan<FloatPoint> points, long evaluationMs, double seconds, out double value)
    {
        value = 0;
        if (points.Length < 2)
        {
            return false;
        }
        var (slope, intercept) = LinearRegression(points, evaluationMs);
        value = slope * seconds + intercept;
        return true;
    }

    /// <summary>
    /// Least squares over (seconds since <paramref name="interceptMs"/>, value) with compensated sums. A constant
    /// series has slope 0 and its value as intercept exactly (NaN for an infinite constant), avoiding 0/0.
    /// </summary>
    private static (double Slope, double Intercept) LinearRegression(ReadOnlySpan<FloatPoint> points, long interceptMs)
    {
        double n = 0, sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
        var firstValue = points[0].Value;
        var constant = true;
        foreach (var point in points)
        {
            constant &= point.Value == firstValue;
            n++;
            var x = (point.TimestampMs - interceptMs) / 1e3;
            sumX = KahanSum.Add(x, sumX, ref cX);
            sumY = KahanSum.Add(point.Value, sumY, ref cY);
            sumXY = KahanSum.Add(x * point.Value, sumXY, ref cXY);
            sumX2 = KahanSum.Add(x * x, sumX2, ref cX2);
        }
        if (constant)
        {
            return double.IsInfinity(firstValue) ? (double.NaN, double.NaN) : (0, firstValue);
        }
        sumX += cX;
        sumY += cY;
        sumXY += cXY;
        sumX2 += cX2;
        var covariance = sumXY - sumX * sumY / n;
        var variance = sumX2 - sumX * sumX / n;
        var slope = covariance / variance;
        return (slope, sumY / n - slope * sumX / n);
    }

    /// <summary>
    /// double_exponential_smoothing (Holt's linear method) with smoothing factor <paramref name="smoothing"/> and trend
    /// factor <paramref name="trend"/>, both already checked to lie in (0, 1); nothing for fewer than two points.
    /// </summary>
    public static bool TryDoubleExponentialSmoothing(ReadOnlySpan<FloatPoint> points, double smoothing, double trend, out double value)
    {
        value = 0;
        if (points.Length < 2)
        {
            return false;
        }
        var previousSmoothed = 0.0;
        var smoothed = points[0].Value;
        var slope = points[1].Value - points[0].Value;
        for (var i = 1; i < points.Length; i++)
        {
            if (i > 1)
            {
                slope = trend * (smoothed - previousSmoothed) + (1 - trend) * slope;
            }
            var next = smoothing * points[i].Value + (1 - smoothing) * (smoothed + slope);
            previousSmoothed = smoothed;
            smoothed = next;
        }
        value = smoothed;
        return true;
    }
}
