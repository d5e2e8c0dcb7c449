using Kansoku.Core.Labels;

namespace Kansoku.Core.Exposition;

/// <summary>A value that goes up and down (Prometheus' gauge). Thread-safe and lock-free.</summary>
internal sealed class Gauge : Metric
{
    private double _value;

    public double Value => Volatile.Read(ref _value);

    public void Set(double value) => Volatile.Write(ref _value, value);

    public void Add(double amount) => AddAtomically(ref _value, amount);

    public void Inc() => Add(1);

    public void Dec() => Add(-1);

    internal override void Write(ExpositionWriter writer, string name, ReadOnlySpan<Label> labels) =>
        writer.WriteSample(name, labels, Value);
}
