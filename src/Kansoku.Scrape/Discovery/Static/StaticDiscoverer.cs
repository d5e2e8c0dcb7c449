using System.Threading.Channels;

namespace Kansoku.Scrape.Discovery.Static;

/// <summary>static_configs: the groups written in the configuration, sent once.</summary>
internal sealed class StaticDiscoverer : IDiscoverer
{
    private readonly IReadOnlyList<TargetGroup> _groups;

    public StaticDiscoverer(IReadOnlyList<TargetGroup> groups)
    {
        _groups = groups;
    }

    public async Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        await updates.WriteAsync(_groups, cancellationToken);
    }
}
