using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.Discovery;

public sealed class DiscoveryManagerTests
{
    [Fact]
    public async Task Jobs_report_their_static_and_file_groups_and_file_changes_follow()
    {
        using var directory = new TempDirectory();
        var targets = directory.Write("sd/nodes.json", """[{"targets": ["n1:9100"]}]""");
        directory.Write("prometheus.yml", """
            scrape_configs:
              - job_name: prometheus
                static_configs: [{ targets: ['localhost:9090'] }]
              - job_name: node
                file_sd_configs: [{ files: ['sd/*.json'], refresh_interval: 1h }]
              - job_name: empty
            """);
        var config = PrometheusConfigLoader.LoadFile(directory.Combine("prometheus.yml"));
        await using var manager = new DiscoveryManager(c => Discoverers.For(c), TimeSpan.FromMilliseconds(20));
        manager.ApplyConfig(config.ScrapeConfigs);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var updates = manager.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);

        var snapshot = await NextMatching(updates, s => s["prometheus"].Count == 1 && s["node"].Count == 1);
        Assert.Empty(snapshot["empty"]);
        var target = Assert.Single(ScrapeTargetBuilder.Build(config.ScrapeConfigs[1], snapshot["node"][0]).Targets);
        Assert.Equal("n1:9100", target.Labels.Get("instance"));

        await File.WriteAllTextAsync(targets, "[]");
        snapshot = await NextMatching(updates, s => s["node"].Count == 0);
        Assert.Single(snapshot["prometheus"]);

        manager.ApplyConfig([config.ScrapeConfigs[0]]);
        snapshot = await NextMatching(updates, s => !s.ContainsKey("node"));
        Assert.Single(snapshot["prometheus"]);
    }

    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>>> NextMatching(
        IAsyncEnumerator<IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>>> updates,
        Func<IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>>, bool> condition)
    {
        while (await updates.MoveNextAsync())
        {
            if (condition(updates.Current))
            {
                return updates.Current;
            }
        }
        throw new InvalidOperationException("updates ended");
    }
}
