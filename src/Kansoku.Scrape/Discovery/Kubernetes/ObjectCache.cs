using k8s;
using k8s.Models;
using Kansoku.Kubernetes;

namespace Kansoku.Scrape.Discovery.Kubernetes;

/// <summary>The current objects of one kind by namespace/name. Not thread-safe: the discoverer's lock guards it.</summary>
internal sealed class ObjectCache<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);

    public static string Key(string? ns, string? name) => $"{ns}/{name}";

    public IEnumerable<T> Items => _items.Values;

    public T? Get(string? ns, string? name) => _items.GetValueOrDefault(Key(ns, name));

    /// <summary>Replaces the objects of <paramref name="ns"/> (every namespace when null) with a fresh list.</summary>
    public void Replace(string? ns, IList<T> items)
    {
        if (ns is null)
        {
            _items.Clear();
        }
        else
        {
            foreach (var key in _items.Keys.Where(k => k.StartsWith(ns + "/", StringComparison.Ordinal)).ToList())
            {
                _items.Remove(key);
            }
        }
        foreach (var item in items)
        {
            _items[Key(item.Metadata?.NamespaceProperty, item.Metadata?.Name)] = item;
        }
    }

    public void Apply(WatchEventType type, T item)
    {
        var key = Key(item.Metadata?.NamespaceProperty, item.Metadata?.Name);
        if (type == WatchEventType.Deleted)
        {
            _items.Remove(key);
        }
        else
        {
            _items[key] = item;
        }
    }
}
