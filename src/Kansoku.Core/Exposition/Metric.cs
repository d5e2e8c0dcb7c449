using Kansoku.Core.Labels;

namespace Kansoku.Core.Exposition;

/// <summary>One series of a <see cref="MetricFamily{TMetric}"/>: a counter, gauge or histogram with fixed label values.</summary>
internal abstract class Metric
{
    internal abstract void Write(ExpositionWriter writer, string name, ReadOnlySpan<Label> labels);

    /// <summary>Adds to a double shared between threads without a lock (there is no Interlocked.Add for doubles).</summary>
    protected static void AddAtomically(ref double target, double amount)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + amount, current);
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }
            current = seen;
        }
    }
}
