using Kansoku.Agent.Config;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Filters.Drop;

/// <summary>
/// Kansoku's <c>drop</c>: drops records of containers in a <c>namespace</c> (exact or glob, repeatable) or of pods with
/// a <c>label KEY=VALUE</c> (value exact or glob, repeatable). Any matching rule drops. Records without Kubernetes
/// metadata pass. Matching is per container, so the decision is cached per metadata instance.
/// </summary>
internal sealed class DropFilter : IRecordFilter
{
    private readonly string[] _namespaces;
    private readonly (string Key, string Value)[] _labels;
    private object? _lastMetadata;
    private bool _lastDrop;

    public DropFilter(IReadOnlyList<string> namespaces, IReadOnlyList<(string Key, string Value)> labels)
    {
        _namespaces = [.. namespaces];
        _labels = [.. labels];
    }

    public static DropFilter From(ComponentSpec spec)
    {
        var namespaces = spec.FindAll("namespace").Select(p => p.Value.Trim()).Where(v => v.Length > 0).ToList();
        var labels = new List<(string, string)>();
        foreach (var property in spec.FindAll("label"))
        {
            var text = property.Value.Trim();
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ConfigException(property.Location, property.Key, $"expected KEY=VALUE, got '{property.Value}'");
            }
            labels.Add((text[..equals].Trim(), text[(equals + 1)..].Trim()));
        }
        if (namespaces.Count == 0 && labels.Count == 0)
        {
            throw new ConfigException(spec.Location, null, "filter 'drop' needs 'namespace' or 'label KEY=VALUE'");
        }
        return new DropFilter(namespaces, labels);
    }

    public bool Apply(LogRecord record)
    {
        var metadata = record.Kubernetes;
        if (metadata is null)
        {
            return true;
        }
        if (!ReferenceEquals(metadata, _lastMetadata))
        {
            _lastDrop = ShouldDrop(metadata);
            _lastMetadata = metadata;
        }
        return !_lastDrop;
    }

    private bool ShouldDrop(Kubernetes.KubernetesMetadata metadata)
    {
        foreach (var pattern in _namespaces)
        {
            if (Glob.Matches(pattern, metadata.NamespaceName))
            {
                return true;
            }
        }
        foreach (var (key, value) in _labels)
        {
            if (metadata.Labels.TryGetValue(key, out var actual) && Glob.Matches(value, actual))
            {
                return true;
            }
        }
        return false;
    }
}
