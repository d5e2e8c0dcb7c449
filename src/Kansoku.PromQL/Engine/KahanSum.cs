namespace Kansoku.PromQL.Engine;

/// <summary>
/// Kahan–Neumaier compensated summation, as Prometheus sums floats in sum, avg, *_over_time and the regression
/// functions: the running compensation is kept apart and added once at the end, so results match to the last bit.
/// </summary>
internal static class KahanSum
{
    /// <summary>Adds <paramref name="increment"/> to <paramref name="sum"/>, updating <paramref name="compensation"/>.</summary>
    public static double Add(double increment, double sum, ref double compensation)
    {
        var total = sum + increment;
        if (double.IsInfinity(total))
        {
            // Once infinite, the compensation would only turn the result into NaN.
            compensation = 0;
        }
        else if (Math.Abs(sum) >= Math.Abs(increment))
        {
            compensation += (sum - total) + increment;
        }
        else
        {
            compensation += (increment - total) + sum;
        }
        return total;
    }
}
