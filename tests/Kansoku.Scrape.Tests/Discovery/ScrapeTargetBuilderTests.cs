using Kansoku.Core.Labels;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;

namespace Kansoku.Scrape.Tests.Discovery;

public sealed class ScrapeTargetBuilderTests
{
    private static ScrapeConfig Job(string yaml) =>
        Assert.Single(PrometheusConfigLoader.Load("scrape_configs:\n" + yaml, "prometheus.yml", "/etc/prometheus").ScrapeConfigs);

    private static TargetGroup Group(LabelSet labels, params LabelSet[] targets) => new("test", targets, labels);

    [Fact]
    public void A_static_target_gets_job_instance_and_its_group_labels()
    {
        var job = Job("  - job_name: node\n    scrape_interval: 30s\n");
        var set = ScrapeTargetBuilder.Build(job, Group(LabelSet.From(("team", "infra"), ("zone", "a")),
            LabelSet.From(("__address__", "10.0.0.1:9100"), ("zone", "b"))));
        var target = Assert.Single(set.Targets);
        Assert.Equal(LabelSet.From(("instance", "10.0.0.1:9100"), ("job", "node"), ("team", "infra"), ("zone", "b")), target.Labels);
        Assert.Equal(new Uri("http://10.0.0.1:9100/metrics"), target.Url);
        Assert.Equal(TimeSpan.FromSeconds(30), target.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), target.ScrapeTimeout);
        Assert.Equal("30s", target.RelabeledLabels.Get("__scrape_interval__"));
        Assert.Equal("http", target.RelabeledLabels.Get("__scheme__"));
        Assert.Equal(LabelSet.From(("__address__", "10.0.0.1:9100"), ("__metrics_path__", "/metrics"), ("__scheme__", "http"),
            ("__scrape_interval__", "30s"), ("__scrape_timeout__", "10s"), ("job", "node"), ("team", "infra"), ("zone", "b")),
            target.DiscoveredLabels);
        Assert.Empty(set.Dropped);
        Assert.Empty(set.Errors);
    }

    [Theory]
    [InlineData("http", "web.shop.svc", "web.shop.svc:80")]
    [InlineData("https", "web.shop.svc", "web.shop.svc:443")]
    [InlineData("https", "[2001:db8::1]", "[2001:db8::1]:443")]
    [InlineData("http", "web:8080", "web:8080")]
    [InlineData("http", "[2001:db8::1]:9100", "[2001:db8::1]:9100")]
    public void An_address_without_a_port_gets_the_schemes(string scheme, string address, string expected)
    {
        var job = Job($"  - job_name: j\n    scheme: {scheme}\n");
        var target = Assert.Single(ScrapeTargetBuilder.Build(job, Group(LabelSet.Empty, LabelSet.From(("__address__", address)))).Targets);
        Assert.Equal(expected, target.Labels.Get("instance"));
        Assert.Equal(new Uri($"{scheme}://{expected}/metrics"), target.Url);
    }

    [Fact]
    public void A_probe_job_moves_the_address_into_a_param_and_the_url_carries_both_params()
    {
        var job = Job("""
              - job_name: blackbox
                metrics_path: /probe
                params: { module: [http_2xx], debug: ['true', 'x y'] }
                relabel_configs:
                  - { source_labels: [__address__], target_label: __param_target }
                  - { source_labels: [__param_target], target_label: instance }
                  - { target_label: __address__, replacement: 'blackbox:9115' }
            """);
        var target = Assert.Single(ScrapeTargetBuilder.Build(job, Group(LabelSet.Empty, LabelSet.From(("__address__", "https://shop.example.com/a?b")))).Targets);
        Assert.Equal(LabelSet.From(("instance", "https://shop.example.com/a?b"), ("job", "blackbox")), target.Labels);
        Assert.Equal("http://blackbox:9115/probe?debug=true&debug=x+y&module=http_2xx&target=https%3A%2F%2Fshop.example.com%2Fa%3Fb",
            target.Url.OriginalString);
    }

    [Fact]
    public void Relabelling_can_override_path_scheme_and_interval_and_meta_labels_are_removed()
    {
        var job = Job("""
              - job_name: pods
                relabel_configs:
                  - { source_labels: [__meta_path], target_label: __metrics_path__ }
                  - { source_labels: [__meta_scheme], target_label: __scheme__ }
                  - { target_label: __scrape_interval__, replacement: 2m }
                  - { source_labels: [__meta_pod], target_label: pod }
            """);
        var discovered = LabelSet.From(("__address__", "10.1.0.4:8443"), ("__meta_path", "/admin/metrics"), ("__meta_scheme", "https"),
            ("__meta_pod", "web-1"), ("__tmp_keep", "x"));
        var target = Assert.Single(ScrapeTargetBuilder.Build(job, Group(LabelSet.Empty, discovered)).Targets);
        Assert.Equal(new Uri("https://10.1.0.4:8443/admin/metrics"), target.Url);
        Assert.Equal(TimeSpan.FromMinutes(2), target.ScrapeInterval);
        Assert.Equal(LabelSet.From(("instance", "10.1.0.4:8443"), ("job", "pods"), ("pod", "web-1")), target.Labels);
        Assert.DoesNotContain(target.RelabeledLabels.AsSpan().ToArray(), l => l.Name.StartsWith("__meta_", StringComparison.Ordinal));
        Assert.Equal("x", target.RelabeledLabels.Get("__tmp_keep"));
    }

    [Fact]
    public void Dropped_targets_keep_their_discovered_labels()
    {
        var job = Job("  - job_name: pods\n    relabel_configs: [{ source_labels: [__meta_scrape], regex: 'true', action: keep }]\n");
        var set = ScrapeTargetBuilder.Build(job, Group(LabelSet.From(("__meta_ns", "shop")),
            LabelSet.From(("__address__", "a:1"), ("__meta_scrape", "true")),
            LabelSet.From(("__address__", "b:1"), ("__meta_scrape", "false"))));
        Assert.Equal("a:1", Assert.Single(set.Targets).Labels.Get("instance"));
        var dropped = Assert.Single(set.Dropped);
        Assert.Equal("b:1", dropped.DiscoveredLabels.Get("__address__"));
        Assert.Equal("shop", dropped.DiscoveredLabels.Get("__meta_ns"));
        Assert.Equal("pods", dropped.DiscoveredLabels.Get("job"));
    }

    [Theory]
    [InlineData("{ target_label: __address__, replacement: '' }", "no address")]
    [InlineData("{ target_label: __scrape_timeout__, replacement: 2m }", "scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")")]
    [InlineData("{ target_label: __scrape_interval__, replacement: 0 }", "scrape interval cannot be 0")]
    [InlineData("{ target_label: __scrape_interval__, replacement: often }", "error parsing scrape interval: not a valid duration string: \"often\"")]
    [InlineData("{ target_label: __address__, replacement: 'http://x/y' }", "\"http://x/y\" is not a valid hostname")]
    [InlineData("{ target_label: __scheme__, replacement: ftp }", "invalid scheme: \"http\"")]
    public void Targets_that_cannot_be_scraped_are_reported(string rule, string error)
    {
        var job = Job($"  - job_name: j\n    relabel_configs: [{rule}]\n");
        var set = ScrapeTargetBuilder.Build(job, new TargetGroup("file.json:0", [LabelSet.From(("__address__", "host"))], LabelSet.Empty));
        Assert.Empty(set.Targets);
        Assert.Empty(set.Dropped);
        Assert.Equal($"instance 0 in group file.json:0: {error}", Assert.Single(set.Errors));
    }
}
