using Kansoku.Core.Labels;

namespace Kansoku.Core.Exposition;

/// <summary>
/// Metrics sharing a name, help and type, one per combination of label values. <see cref="WithLabels"/> looks the child
/// up under a lock: callers on hot paths keep the child it returns instead of asking again.
/// </summary>
internal sealed class MetricFamily<TMetric> : IMetricFamily
    where TMetric : Metric
{
    private readonly string[] _labelNames;
    private readonly Func<TMetric> _create;
    private readonly Dictionary<LabelSet, TMetric> _byLabels = [];
    // Children in creation order, so the output is stable between scrapes.
    private readonly List<(Label[] Labels, TMetric Metric)> _children = [];
    private readonly Lock _lock = new();

    internal MetricFamily(string name, string help, MetricKind kind, string[] labelNames, Func<TMetric> create)
    {
        Name = name;
        Help = help;
        Kind = kind;
        _labelNames = labelNames;
        _create = create;
    }

    public string Name { get; }

    public string Help { get; }

    public MetricKind Kind { get; }

    public IReadOnlyList<string> LabelNames => _labelNames;

    /// <summary>The child for these values, given in the order of the family's label names; an empty value omits the label.</summary>
    public TMetric WithLabels(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != _labelNames.Length)
        {
            throw new ArgumentException($"{Name} has {_labelNames.Length} labels, got {values.Length} values", nameof(values));
        }
        var labels = new List<Label>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (!string.IsNullOrEmpty(values[i]))
            {
                labels.Add(new Label(_labelNames[i], values[i]));
            }
        }
        var key = LabelSet.From(labels);
        lock (_lock)
        {
            if (!_byLabels.TryGetValue(key, out var metric))
            {
                metric = _create();
                _byLabels.Add(key, metric);
                _children.Add((labels.ToArray(), metric));
            }
            return metric;
        }
    }

    void IMetricFamily.Write(ExpositionWriter writer)
    {
        writer.WriteFamily(Name, Help, Kind);
        lock (_lock)
        {
            foreach (var (labels, metric) in _children)
            {
                metric.Write(writer, Name, labels);
            }
        }
    }
}
