using Kansoku.Scrape.Operator;
using Kansoku.Scrape.Relabel;
using static Kansoku.Scrape.Tests.Operator.OperatorTestData;

namespace Kansoku.Scrape.Tests.Operator;

public sealed class MonitorScrapeConfigsTests
{
    private static System.Text.Json.Nodes.JsonObject Monitor(string yaml) => Documents(yaml).Single();

    /// <summary>The services (by their job label) a ServiceMonitor in default selects with this selector and no port filter.</summary>
    private static List<string> SelectedServices(string selector)
    {
        var job = Assert.Single(Generate(Monitor($"""
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {"{"} name: m, namespace: default {"}"}
            spec:
              selector: {selector}
              endpoints: [ {"{"} path: /metrics {"}"} ]
            """)));
        return [.. Targets(job).Select(t => t.Labels.Get("service")).Distinct().Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("""{ matchExpressions: [ { key: app.kubernetes.io/name, operator: In, values: [prometheus-operator, prometheus] } ] }""",
        "old-operator,prometheus,prometheus-operator")]
    // NotIn keeps objects without the label, as Kubernetes does.
    [InlineData("""{ matchExpressions: [ { key: app.kubernetes.io/name, operator: In, values: [prometheus-operator, prometheus] }, { key: app.kubernetes.io/version, operator: NotIn, values: ["0.92.0"] } ] }""",
        "prometheus,prometheus-operator")]
    [InlineData("""{ matchExpressions: [ { key: prometheus, operator: Exists } ] }""", "prometheus")]
    [InlineData("""{ matchExpressions: [ { key: app.kubernetes.io/name, operator: Exists }, { key: app.kubernetes.io/version, operator: DoesNotExist } ] }""",
        "prometheus")]
    [InlineData("""{ matchLabels: { app: my-web-app } }""", "my-web-app")]
    [InlineData("""{ matchLabels: { app.kubernetes.io/name: prometheus-operator }, matchExpressions: [ { key: app.kubernetes.io/version, operator: In, values: ["0.92.0"] } ] }""",
        "old-operator")]
    [InlineData("{}", "example-app,my-web-app,old-operator,prometheus,prometheus-operator,prometheus-operator-admission-webhook")]
    public void Label_selector_keeps_the_services_it_matches(string selector, string expected)
    {
        Assert.Equal(expected.Split(','), SelectedServices(selector));
    }

    [Fact]
    public void Unknown_selector_operator_is_rejected_naming_the_field()
    {
        var error = Assert.Throws<MonitorException>(() => SelectedServices("""{ matchExpressions: [ { key: app, operator: Equals, values: [x] } ] }"""));
        Assert.Contains("spec.selector.matchExpressions[0].operator", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ any: true }", "", "default,monitoring")]
    [InlineData("{ matchNames: [monitoring] }", "monitoring", "monitoring")]
    [InlineData("{ matchNames: [monitoring, default] }", "monitoring,default", "default,monitoring")]
    [InlineData("{}", "default", "default")]
    public void Namespace_selector_picks_the_namespaces_discovered(string namespaceSelector, string namespaces, string scraped)
    {
        var job = Assert.Single(Generate(Monitor($$"""
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: { name: m, namespace: default }
            spec:
              namespaceSelector: {{namespaceSelector}}
              selector: { matchLabels: { app: my-web-app } }
              endpoints: [ { port: metrics } ]
            """)));

        Assert.Equal(namespaces.Split(',', StringSplitOptions.RemoveEmptyEntries), Assert.Single(job.KubernetesSdConfigs).Namespaces);
        Assert.Equal(scraped.Split(','), Targets(job).Select(t => t.Labels.Get("namespace")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Job_label_target_labels_pod_target_labels_and_user_relabelings_shape_the_target()
    {
        var configs = Generate(Monitor("""
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: { name: self, namespace: default }
            spec:
              jobLabel: app.kubernetes.io/name
              targetLabels: [prometheus, missing]
              podTargetLabels: [team]
              selector: { matchLabels: { prometheus: self } }
              endpoints:
              - targetPort: 9090
                interval: 15s
                scrapeTimeout: 5s
                path: /prom/metrics
                scheme: HTTPS
                params: { format: [text] }
                honorTimestamps: false
                bearerTokenFile: /var/run/secrets/token
                tlsConfig: { caFile: /etc/ca.pem, serverName: prometheus.default, insecureSkipVerify: true }
                relabelings:
                - { sourceLabels: [__meta_kubernetes_pod_node_name], targetLabel: node_name }
                - { action: Replace, targetLabel: tier, replacement: observability }
                metricRelabelings:
                - { action: drop, sourceLabels: [__name__], regex: go_.* }
              sampleLimit: 5000
              labelLimit: 40
              attachMetadata: { node: true }
            """));

        var job = Assert.Single(configs);
        var target = Assert.Single(Targets(job));
        Assert.Equal(
            "https://10.0.1.40:9090/prom/metrics?format=text container=prometheus,endpoint=9090,instance=10.0.1.40:9090,job=prometheus,"
                + "namespace=default,node_name=worker-1,pod=prometheus-self-0,prometheus=self,service=prometheus,team=observability,tier=observability",
            Describe(target));
        Assert.Equal(TimeSpan.FromSeconds(15), job.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), job.ScrapeTimeout);
        Assert.False(job.HonorTimestamps);
        Assert.Equal("/var/run/secrets/token", job.Http.Authorization?.CredentialsFile);
        Assert.Equal("/etc/ca.pem", job.Http.Tls.CaFile);
        Assert.Equal("prometheus.default", job.Http.Tls.ServerName);
        Assert.True(job.Http.Tls.InsecureSkipVerify);
        var metricRule = Assert.Single(job.MetricRelabelConfigs);
        Assert.Equal(RelabelAction.Drop, metricRule.Action);
        Assert.Equal("go_.*", metricRule.Regex.Pattern);
        Assert.Equal(5000, job.Limits.SampleLimit);
        Assert.Equal(40, job.Limits.LabelLimit);
        Assert.True(Assert.Single(job.KubernetesSdConfigs).AttachNodeMetadata);
    }

    [Fact]
    public void Pod_monitor_job_label_and_port_number_select_the_container_port()
    {
        var job = Assert.Single(Generate(Monitor("""
            apiVersion: monitoring.coreos.com/v1
            kind: PodMonitor
            metadata: { name: self, namespace: default }
            spec:
              jobLabel: team
              selector: { matchLabels: { app.kubernetes.io/name: prometheus } }
              podMetricsEndpoints: [ { portNumber: 8080 } ]
            """)));

        Assert.Equal(
            ["http://10.0.1.40:8080/metrics container=config-reloader,instance=10.0.1.40:8080,job=observability,namespace=default,pod=prometheus-self-0"],
            DescribeAll(job));
    }

    [Fact]
    public void Endpoint_with_credentials_from_a_secret_is_skipped_with_a_log_line_and_the_others_keep_their_index()
    {
        var log = new List<string>();
        var configs = Generate(Monitor("""
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: { name: app, namespace: default }
            spec:
              selector: { matchLabels: { app: example-app } }
              endpoints:
              - port: web
                basicAuth: { username: { name: creds, key: user }, password: { name: creds, key: password } }
              - port: web
                path: /other
            """), log);

        Assert.Equal("serviceMonitor/default/app/1", Assert.Single(configs).JobName);
        Assert.Contains("servicemonitor default/app: spec.endpoints[0].basicAuth refers to a Secret", Assert.Single(log), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("endpoints: [ { port: 8080 } ]", "spec.endpoints[0].port")]
    [InlineData("endpoints: [ { port: web, interval: 10x } ]", "spec.endpoints[0].interval")]
    [InlineData("endpoints: [ { port: web, interval: 10s, scrapeTimeout: 20s } ]", "spec.endpoints[0].scrapeTimeout")]
    [InlineData("endpoints: [ { port: web, scheme: ftp } ]", "spec.endpoints[0].scheme")]
    [InlineData("endpoints: [ { port: web, relabelings: [ { action: explode } ] } ]", "spec.endpoints[0].relabelings[0].action")]
    [InlineData("endpoints: [ { port: web, relabelings: [ { action: replace, regex: \"(\" } ] } ]", "spec.endpoints[0].relabelings[0].regex")]
    [InlineData("endpoints: [ { port: web, metricRelabelings: [ { action: hashmod, targetLabel: x } ] } ]", "spec.endpoints[0].metricRelabelings[0]")]
    [InlineData("selector: { matchLabels: [a, b] }", "spec.selector.matchLabels")]
    [InlineData("targetLabels: null", "spec.targetLabels")]
    public void Malformed_monitor_is_rejected_naming_the_field(string specLine, string field)
    {
        var monitor = Monitor($$"""
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: { name: bad, namespace: default }
            spec:
              {{specLine}}
            """);

        var error = Assert.Throws<MonitorException>(() => Generate(monitor));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }
}
