using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery.File;
using Kansoku.Scrape.Discovery.Kubernetes;
using Kansoku.Scrape.Discovery.Static;

namespace Kansoku.Scrape.Discovery;

/// <summary>The discoverers a scrape job's configuration asks for.</summary>
internal static class Discoverers
{
    public static IReadOnlyList<IDiscoverer> For(ScrapeConfig config, Action<string>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var discoverers = new List<IDiscoverer>();
        if (config.StaticConfigs.Count > 0)
        {
            discoverers.Add(new StaticDiscoverer(config.StaticConfigs));
        }
        foreach (var fileSd in config.FileSdConfigs)
        {
            discoverers.Add(new FileDiscoverer(fileSd, onError));
        }
        foreach (var kubernetesSd in config.KubernetesSdConfigs)
        {
            discoverers.Add(new KubernetesDiscoverer(kubernetesSd, onError));
        }
        return discoverers;
    }
}
