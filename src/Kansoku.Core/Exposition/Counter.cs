using Kansoku.Core.Labels;

namespace Kansoku.Core.Exposition;

/// <summary>A value that only goes up (Prometheus' counter). Thread-safe and lock-free.</summary>
internal sealed class Counter : Metric
{
    private double _value;

    public double Value => Volatile.Read(ref _value);

    public void Inc() => AddAtomically(ref _value, 1);

    public void Inc(double amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        AddAtomically(ref _value, amount);
    }

    internal override void Write(ExpositionWriter writer, string name, ReadOnlySpan<Label> labels) =>
        writer.WriteSample(name, labels, Value);
}
