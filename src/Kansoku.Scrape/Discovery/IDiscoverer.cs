using System.Threading.Channels;

namespace Kansoku.Scrape.Discovery;

/// <summary>
/// One service-discovery mechanism for one job (Prometheus discovery.Discoverer). <see cref="RunAsync"/> writes the
/// groups that changed, each a full replacement of the group with the same source (no targets: the source is gone),
/// until cancelled. The first write holds every group known at start.
/// </summary>
internal interface IDiscoverer
{
    Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken);
}
