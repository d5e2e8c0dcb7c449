using k8s.Models;

namespace Kansoku.Scrape.KubeState;

/// <summary>
/// Reads Kubernetes quantities the way apimachinery's <c>Quantity.Value()</c> and <c>MilliValue()</c> do, which is what
/// kube-state-metrics reports: whole units rounded away from zero (a memory limit of <c>1.5</c> is 2 bytes), and cores to
/// the millicore, rounded the same way (<c>100u</c> of cpu is 0.001).
/// </summary>
internal static class KubeQuantity
{
    // apimachinery's MaxMilliValue: above it MilliValue would overflow, so kube-state-metrics falls back to Value().
    private const long MaxMilliValue = long.MaxValue / 1000;

    /// <summary>The quantity in whole base units (bytes, counts), rounded away from zero and held to the int64 range.</summary>
    public static long Value(ResourceQuantity quantity) => RoundAwayFromZero(Exact(quantity));

    /// <summary>The quantity in cores: millicores rounded away from zero, divided by 1000.</summary>
    public static double Cores(ResourceQuantity quantity)
    {
        var exact = Exact(quantity);
        var value = RoundAwayFromZero(exact);
        if (value is > MaxMilliValue or < -MaxMilliValue)
        {
            return value;
        }
        return RoundAwayFromZero(exact * 1000) / 1000.0;
    }

    private static decimal Exact(ResourceQuantity quantity)
    {
        try
        {
            return quantity.ToDecimal();
        }
        catch (OverflowException)
        {
            // Beyond decimal's ±7.9e28, far past int64, where the result is held to the int64 range anyway.
            return quantity.ToDouble() > 0 ? decimal.MaxValue : decimal.MinValue;
        }
    }

    private static long RoundAwayFromZero(decimal value)
    {
        var rounded = value >= 0 ? decimal.Ceiling(value) : decimal.Floor(value);
        return rounded >= long.MaxValue ? long.MaxValue : rounded <= long.MinValue ? long.MinValue : (long)rounded;
    }
}
