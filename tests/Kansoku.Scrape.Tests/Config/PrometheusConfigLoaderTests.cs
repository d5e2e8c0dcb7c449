using Kansoku.Core.Labels;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Relabel;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.Config;

public sealed class PrometheusConfigLoaderTests
{
    private static readonly string s_testdata = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Kansoku.Scrape.Tests", "Config", "testdata");

    private static PrometheusConfig Load(string yaml) => PrometheusConfigLoader.Load(yaml, "prometheus.yml", "/etc/prometheus");

    private static ConfigException LoadError(string yaml) => Assert.Throws<ConfigException>(() => Load(yaml));

    [Fact]
    public void A_kubernetes_configuration_loads_with_its_values_and_the_defaults()
    {
        var path = Path.Combine(s_testdata, "kubernetes.yml");
        var config = PrometheusConfigLoader.LoadFile(path);

        Assert.Equal(TimeSpan.FromSeconds(15), config.Global.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Global.ScrapeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Global.EvaluationInterval);
        Assert.Equal(LabelSet.From(("cluster", "prod-eu"), ("replica", "0")), config.Global.ExternalLabels);
        Assert.Equal([Path.Combine(s_testdata, "rules/*.rules.yml")], config.RuleFiles);
        Assert.NotNull(config.Alerting);
        Assert.Equal(["kubernetes-apiservers", "kubernetes-nodes", "kubernetes-cadvisor", "kubernetes-pods", "blackbox", "node"],
            config.ScrapeConfigs.Select(c => c.JobName));

        var apiServers = config.ScrapeConfigs[0];
        Assert.Equal(TimeSpan.FromSeconds(15), apiServers.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), apiServers.ScrapeTimeout);
        Assert.Equal("https", apiServers.Scheme);
        Assert.Equal("/metrics", apiServers.MetricsPath);
        Assert.True(apiServers.HonorTimestamps);
        Assert.False(apiServers.HonorLabels);
        Assert.Equal(KubernetesRole.Endpoints, Assert.Single(apiServers.KubernetesSdConfigs).Role);
        Assert.Equal(new AuthorizationConfig("Bearer", null, "/var/run/secrets/kubernetes.io/serviceaccount/token"), apiServers.Http.Authorization);
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", apiServers.Http.Tls.CaFile);
        var keep = Assert.Single(apiServers.RelabelConfigs);
        Assert.Equal(RelabelAction.Keep, keep.Action);
        Assert.Equal("default;kubernetes;https", keep.Regex.Pattern);
        Assert.Equal(";", keep.Separator);

        var nodes = config.ScrapeConfigs[1];
        Assert.True(nodes.Http.Tls.InsecureSkipVerify);
        Assert.Equal(new AuthorizationConfig("Bearer", null, "/var/run/secrets/kubernetes.io/serviceaccount/token"), nodes.Http.Authorization);
        Assert.Equal("$1", nodes.RelabelConfigs[0].Replacement);

        var cadvisor = config.ScrapeConfigs[2];
        Assert.Equal(TimeSpan.FromSeconds(30), cadvisor.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), cadvisor.ScrapeTimeout);
        Assert.Equal("/metrics/cadvisor", cadvisor.MetricsPath);
        Assert.Equal(Path.Combine(s_testdata, "token"), cadvisor.Http.Authorization!.CredentialsFile);
        Assert.Equal(RelabelAction.Drop, Assert.Single(cadvisor.MetricRelabelConfigs).Action);

        var pods = config.ScrapeConfigs[3];
        Assert.Equal(["shop", "payments"], Assert.Single(pods.KubernetesSdConfigs).Namespaces);
        Assert.Equal(6, pods.RelabelConfigs.Count);
        Assert.Equal(new ScrapeLimits { SampleLimit = 50_000, LabelLimit = 64, BodySizeLimit = 10L * 1024 * 1024 }, pods.Limits);

        var blackbox = config.ScrapeConfigs[4];
        Assert.Equal(["http_2xx"], blackbox.Params["module"]);
        var group = Assert.Single(blackbox.StaticConfigs);
        Assert.Equal("0", group.Source);
        Assert.Equal(LabelSet.From(("team", "web")), group.Labels);
        Assert.Equal("https://shop.example.com", group.Targets[0].Get("__address__"));

        var node = config.ScrapeConfigs[5];
        Assert.True(node.HonorLabels);
        Assert.False(node.HonorTimestamps);
        var fileSd = Assert.Single(node.FileSdConfigs);
        Assert.Equal([Path.Combine(s_testdata, "targets/*.json"), Path.Combine(s_testdata, "targets/extra.yml")], fileSd.Files);
        Assert.Equal(TimeSpan.FromSeconds(90), fileSd.RefreshInterval);
        Assert.Equal(new BasicAuthConfig("prom", null, Path.Combine(s_testdata, "secrets/node-password")), node.Http.BasicAuth);

        var mimir = config.RemoteWrite[0];
        Assert.Equal("mimir", mimir.Name);
        Assert.Equal(TimeSpan.FromMinutes(1), mimir.RemoteTimeout);
        Assert.Equal("prod", mimir.Headers["X-Scope-OrgID"]);
        Assert.Single(mimir.WriteRelabelConfigs);
        Assert.Equal(new QueueConfig
        {
            Capacity = 20_000,
            MaxShards = 10,
            MinShards = 1,
            MaxSamplesPerSend = 5_000,
            BatchSendDeadline = TimeSpan.FromSeconds(10),
            MinBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(10),
        }, mimir.Queue);
        var victoria = config.RemoteWrite[1];
        Assert.Equal(new QueueConfig(), victoria.Queue);
        Assert.Equal(TimeSpan.FromSeconds(30), victoria.RemoteTimeout);
        Assert.False(victoria.Http.EnableHttp2);
    }

    [Fact]
    public void A_minimal_file_gets_prometheus_defaults()
    {
        var config = PrometheusConfigLoader.LoadFile(Path.Combine(s_testdata, "minimal.yml"));
        var job = Assert.Single(config.ScrapeConfigs);
        Assert.Equal(TimeSpan.FromMinutes(1), job.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), job.ScrapeTimeout);
        Assert.Equal("http", job.Scheme);
        Assert.Equal(TimeSpan.FromMinutes(1), config.Global.EvaluationInterval);
        Assert.Empty(config.RemoteWrite);
    }

    [Fact]
    public void The_default_timeout_is_capped_by_a_short_interval()
    {
        var config = Load("global: { scrape_interval: 5s }\nscrape_configs:\n  - job_name: a\n  - job_name: b\n    scrape_interval: 2s\n");
        Assert.Equal(TimeSpan.FromSeconds(5), config.Global.ScrapeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), config.ScrapeConfigs[0].ScrapeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), config.ScrapeConfigs[1].ScrapeTimeout);
    }

    [Fact]
    public void Global_limits_apply_to_jobs_that_set_none()
    {
        var config = Load("global: { sample_limit: 100, label_value_length_limit: 200 }\nscrape_configs:\n  - { job_name: a }\n  - { job_name: b, sample_limit: 5 }\n");
        Assert.Equal(new ScrapeLimits { SampleLimit = 100, LabelValueLengthLimit = 200 }, config.ScrapeConfigs[0].Limits);
        Assert.Equal(new ScrapeLimits { SampleLimit = 5, LabelValueLengthLimit = 200 }, config.ScrapeConfigs[1].Limits);
    }

    [Fact]
    public void An_empty_file_is_the_default_configuration()
    {
        var config = Load("");
        Assert.Empty(config.ScrapeConfigs);
        Assert.Equal(new GlobalConfig().ScrapeInterval, config.Global.ScrapeInterval);
    }

    [Theory]
    [InlineData("scrape_configs:\n  - job_name: a\n    scrape_timeout: 2m\n", 3, 21, "scrape_configs[0].scrape_timeout",
        "scrape timeout greater than scrape interval for scrape config with job name \"a\"")]
    [InlineData("global:\n  scrape_interval: 10s\n  scrape_timeout: 11s\n", 3, 19, "global.scrape_timeout", "global scrape timeout greater than scrape interval")]
    [InlineData("scrape_configs:\n  - job_name: a\n  - job_name: a\n", 3, 15, "scrape_configs[1].job_name", "found multiple scrape configs with job name \"a\"")]
    [InlineData("scrape_configs:\n  - job_name: a\n    scrap_interval: 1m\n", 3, 5, "scrape_configs[0].scrap_interval", "field scrap_interval not found in scrape config")]
    [InlineData("scrape_configs:\n  - job_name: a\n    scrape_interval: 1m30\n", 3, 22, "scrape_configs[0].scrape_interval", "not a valid duration string: \"1m30\"")]
    [InlineData("scrape_configs:\n  - metrics_path: /m\n", 2, 5, "scrape_configs[0]", "job_name is empty")]
    [InlineData("scrape_configs:\n  -\n", 2, 4, "scrape_configs[0]", "empty or null scrape config section")]
    [InlineData("scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['http://x:80/metrics']\n", 4, 19,
        "scrape_configs[0].static_configs[0].targets", "\"http://x:80/metrics\" is not a valid hostname")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - namespaces: { names: [x] }\n", 4, 9,
        "scrape_configs[0].kubernetes_sd_configs[0]", "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pods\n", 4, 15,
        "scrape_configs[0].kubernetes_sd_configs[0].role", "unknown Kubernetes SD role \"pods\"")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - { role: pod, api_server: 'https://k:6443', kubeconfig_file: kc }\n", 4, 9,
        "scrape_configs[0].kubernetes_sd_configs[0]", "cannot use 'kubeconfig_file' and 'api_server' simultaneously")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - { role: pod, bearer_token: t }\n", 4, 9,
        "scrape_configs[0].kubernetes_sd_configs[0]", "to use custom HTTP client configuration please provide the 'api_server' URL explicitly")]
    [InlineData("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: ['targets/*/x.json']\n", 4, 16,
        "scrape_configs[0].file_sd_configs[0].files", "path name \"targets/*/x.json\" is not valid for file discovery")]
    [InlineData("scrape_configs:\n  - job_name: a\n    bearer_token: x\n    bearer_token_file: y\n", 2, 5, "scrape_configs[0]",
        "at most one of bearer_token & bearer_token_file must be configured")]
    [InlineData("scrape_configs:\n  - job_name: a\n    basic_auth: { username: u }\n    authorization: { credentials: c }\n", 2, 5, "scrape_configs[0]",
        "at most one of basic_auth, oauth2 & authorization must be configured")]
    [InlineData("scrape_configs:\n  - job_name: a\n    consul_sd_configs: [{ server: c }]\n", 3, 24, "scrape_configs[0].consul_sd_configs",
        "consul_sd_configs is not supported by Kansoku (static_configs, file_sd_configs and kubernetes_sd_configs are)")]
    [InlineData("remote_write:\n  - remote_timeout: 1s\n", 2, 5, "remote_write[0]", "url for remote_write is empty")]
    [InlineData("remote_write:\n  - url: http://x\n    queue_config: { min_shards: 5, max_shards: 2 }\n", 3, 19, "remote_write[0].queue_config",
        "remote write queue min_shards must not be greater than max_shards")]
    [InlineData("remote_write:\n  - url: http://x\n    headers: { Content-Type: x }\n", 3, 16, "remote_write[0].headers",
        "Content-Type is a reserved header. It must not be changed")]
    [InlineData("global:\n  external_labels: { bad-name: x }\n", 2, 22, "global.external_labels", "\"bad-name\" is not a valid label name")]
    [InlineData("scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - { action: hashmod, source_labels: [a], target_label: b }\n", 4, 9,
        "scrape_configs[0].relabel_configs[0]", "relabel configuration for hashmod requires non-zero modulus")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - { role: pod, selectors: [{ role: service, label: 'a=b' }] }\n", 4, 42,
        "scrape_configs[0].kubernetes_sd_configs[0].selectors[0].role", "pod role supports only pod, node selectors")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - { role: node, selectors: [{ role: node }, { role: node }] }\n", 4, 59,
        "scrape_configs[0].kubernetes_sd_configs[0].selectors[1].role", "duplicated selector role: node")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - { role: pod, attach_metadata: { namespace: true } }\n", 4, 52,
        "scrape_configs[0].kubernetes_sd_configs[0].attach_metadata.namespace", "attach_metadata.namespace is not supported by Kansoku yet")]
    [InlineData("scarpe_configs: []\n", 1, 1, "scarpe_configs", "field scarpe_configs not found in config")]
    public void Errors_name_the_line_column_and_key(string yaml, int line, int column, string key, string reason)
    {
        var error = LoadError(yaml);
        Assert.Equal((line, column, key, reason), (error.Line, error.Column, error.Key, error.Reason));
        Assert.Equal($"prometheus.yml:{line}:{column}: {key}: {reason}", error.Message);
    }

    [Fact]
    public void Kubernetes_selectors_are_kept_per_kind()
    {
        var config = Load("""
            scrape_configs:
              - job_name: a
                kubernetes_sd_configs:
                  - role: endpoints
                    selectors:
                      - { role: service, label: 'app.kubernetes.io/part-of=shop' }
                      - { role: pod, field: 'status.phase=Running' }
            """);
        var selectors = config.ScrapeConfigs[0].KubernetesSdConfigs[0].Selectors;
        Assert.False(config.ScrapeConfigs[0].KubernetesSdConfigs[0].AttachNodeMetadata);
        Assert.Equal(new KubernetesSelector("app.kubernetes.io/part-of=shop", null), selectors[KubernetesRole.Service]);
        Assert.Equal(new KubernetesSelector(null, "status.phase=Running"), selectors[KubernetesRole.Pod]);
    }

    [Theory]
    [InlineData("pod", true)]
    [InlineData("endpointslice", true)]
    [InlineData("service", false)]
    public void Node_metadata_attaches_to_the_roles_that_have_nodes(string role, bool attached)
    {
        var config = Load($"scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs: [{{ role: {role}, attach_metadata: {{ node: true }} }}]\n");
        Assert.Equal(attached, config.ScrapeConfigs[0].KubernetesSdConfigs[0].AttachNodeMetadata);
    }

    [Fact]
    public void Static_targets_with_a_path_are_allowed_when_relabelling_may_rewrite_them()
    {
        var config = Load("scrape_configs:\n  - job_name: a\n    static_configs: [{ targets: ['http://x/y'] }]\n    relabel_configs: [{ target_label: __address__, replacement: 'x:1' }]\n");
        Assert.Equal("http://x/y", config.ScrapeConfigs[0].StaticConfigs[0].Targets[0].Get("__address__"));
    }

    [Fact]
    public void Broken_yaml_is_an_error_with_its_position()
    {
        var error = LoadError("scrape_configs:\n  - job_name: [a\n");
        Assert.Equal("prometheus.yml", error.File);
        Assert.True(error.Line >= 2);
    }
}
