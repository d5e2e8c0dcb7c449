using System.Buffers;

namespace Kansoku.Core.Exposition;

/// <summary>
/// The metrics a process exposes on <c>/metrics</c>: families created here, plus collectors that write values read at
/// scrape time (counters other components already keep). Families are written in registration order.
/// </summary>
internal sealed class MetricRegistry
{
    private readonly List<IMetricFamily> _families = [];
    private readonly List<Action<ExpositionWriter>> _collectors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Counter Counter(string name, string help) => CounterFamily(name, help).WithLabels();

    public MetricFamily<Counter> CounterFamily(string name, string help, params string[] labelNames) =>
        Add(new MetricFamily<Counter>(name, help, MetricKind.Counter, labelNames, static () => new Counter()));

    public Gauge Gauge(string name, string help) => GaugeFamily(name, help).WithLabels();

    public MetricFamily<Gauge> GaugeFamily(string name, string help, params string[] labelNames) =>
        Add(new MetricFamily<Gauge>(name, help, MetricKind.Gauge, labelNames, static () => new Gauge()));

    public Histogram Histogram(string name, string help, IReadOnlyList<double>? upperBounds = null) =>
        HistogramFamily(name, help, upperBounds).WithLabels();

    public MetricFamily<Histogram> HistogramFamily(string name, string help, IReadOnlyList<double>? upperBounds, params string[] labelNames)
    {
        var bounds = Exposition.Histogram.Validate(upperBounds ?? Exposition.Histogram.DefaultBuckets);
        return Add(new MetricFamily<Histogram>(name, help, MetricKind.Histogram, labelNames, () => new Histogram(bounds)));
    }

    /// <summary>
    /// Adds a writer of families whose values live elsewhere (e.g. a pipeline's counters), called on every scrape after the
    /// registered families. It must write complete families (<see cref="ExpositionWriter.WriteFamily"/> first).
    /// </summary>
    public void AddCollector(Action<ExpositionWriter> collect)
    {
        ArgumentNullException.ThrowIfNull(collect);
        lock (_lock)
        {
            _collectors.Add(collect);
        }
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        var writer = new ExpositionWriter(output);
        IMetricFamily[] families;
        Action<ExpositionWriter>[] collectors;
        lock (_lock)
        {
            families = [.. _families];
            collectors = [.. _collectors];
        }
        foreach (var family in families)
        {
            family.Write(writer);
        }
        foreach (var collect in collectors)
        {
            collect(writer);
        }
    }

    private MetricFamily<TMetric> Add<TMetric>(MetricFamily<TMetric> family)
        where TMetric : Metric
    {
        MetricNames.ThrowIfInvalid(family.Name);
        foreach (var label in family.LabelNames)
        {
            MetricNames.ThrowIfInvalidLabel(label);
        }
        lock (_lock)
        {
            if (!_names.Add(family.Name))
            {
                throw new ArgumentException($"metric {family.Name} is already registered");
            }
            _families.Add(family);
        }
        return family;
    }
}
