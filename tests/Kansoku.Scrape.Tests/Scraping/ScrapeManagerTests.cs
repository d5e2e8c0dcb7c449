using Kansoku.Core.Labels;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.Scraping;
using Kansoku.Storage.Metrics;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.Scraping;

public sealed class ScrapeManagerTests
{
    private static PrometheusConfig Config(string yaml) => PrometheusConfigLoader.Load(yaml, "prometheus.yml", Path.GetTempPath());

    [Fact]
    public async Task A_configuration_scrapes_its_static_targets_with_relabelling_and_a_reload_retires_removed_jobs()
    {
        await using var node = new MetricsEndpoint { Body = "node_load1 0.5\nnode_boot_time_seconds 1.7e9\n" };
        var store = new RecordingStore();
        await using var manager = new ScrapeManager(store, TimeProvider.System, "kansoku-test");
        await using var discovery = new DiscoveryManager(config => Discoverers.For(config), TimeSpan.FromMilliseconds(50));
        using var stop = new CancellationTokenSource();
        var following = manager.FollowAsync(discovery, stop.Token);
        var config = Config($$"""
            global:
              scrape_interval: 1s
              scrape_timeout: 500ms
            scrape_configs:
              - job_name: node
                static_configs:
                  - targets: ['{{node.Url.Authority}}']
                    labels: {env: test}
                relabel_configs:
                  - source_labels: [env]
                    target_label: environment
                metric_relabel_configs:
                  - source_labels: [__name__]
                    regex: node_boot_time_seconds
                    action: drop
            """);
        await manager.ApplyConfigAsync(config);
        discovery.ApplyConfig(config.ScrapeConfigs);

        var pool = Assert.Single(manager.Pools);
        await Eventually.WaitUntilAsync(() => pool.ActiveTargets.Count == 1);
        var target = pool.ActiveTargets[0];
        Assert.Equal(new Uri($"http://{node.Url.Authority}/metrics"), target.Url);
        Assert.Equal("test", target.Labels.Get("environment"));
        Assert.Equal("node", target.Labels.Get("job"));
        await Eventually.WaitUntilAsync(() => target.Status.Health == TargetHealth.Up);

        var load = LabelSet.From(("__name__", "node_load1"), ("job", "node"), ("instance", node.Url.Authority), ("env", "test"), ("environment", "test"));
        Assert.Equal(0.5, store.Last(load));
        Assert.Empty(store.SeriesNamed("node_boot_time_seconds"));

        await manager.ApplyConfigAsync(Config("scrape_configs: []\n"));
        Assert.Empty(manager.Pools);
        Assert.True(StaleMarker.Is(store.Last(load)));
        await stop.CancelAsync();
        await following;
    }

    [Fact]
    public async Task The_global_target_limit_applies_to_a_job_that_sets_none()
    {
        await using var node = new MetricsEndpoint { Body = "node_load1 0.5\n" };
        var store = new RecordingStore();
        await using var manager = new ScrapeManager(store, TimeProvider.System, "kansoku-test");
        await manager.ApplyConfigAsync(Config("""
            global:
              scrape_interval: 1s
              target_limit: 1
            scrape_configs:
              - job_name: limited
              - job_name: wider
                target_limit: 3
            """));
        var second = new Uri($"http://{node.Url.Authority}/second");
        var group = new TargetGroup("static/0",
            [LabelSet.From(("__address__", node.Url.Authority)), LabelSet.From(("__address__", node.Url.Authority), ("__metrics_path__", "/second"))],
            LabelSet.Empty);
        await manager.SetTargetGroupsAsync(new Dictionary<string, IReadOnlyList<TargetGroup>> { ["limited"] = [group], ["wider"] = [group] });

        var limited = manager.Pools.Single(p => p.Name == "limited");
        var wider = manager.Pools.Single(p => p.Name == "wider");
        Assert.Equal(1, limited.TargetLimit);
        Assert.Equal(3, wider.TargetLimit);
        Assert.Equal(1, limited.ExceededTargetLimitTotal);
        Assert.Equal(0, wider.ExceededTargetLimitTotal);
        Assert.Contains(limited.ActiveTargets, t => t.Url == second);
        await Eventually.WaitUntilAsync(() => limited.ActiveTargets.All(t => t.Status.Health == TargetHealth.Down)
            && wider.ActiveTargets.All(t => t.Status.Health == TargetHealth.Up));
        Assert.All(limited.ActiveTargets, t => Assert.Equal("target_limit exceeded (number of targets: 2, limit: 1)", t.Status.LastError));
    }
}
