using static Kansoku.Scrape.Tests.Operator.OperatorTestData;

namespace Kansoku.Scrape.Tests.Operator;

/// <summary>
/// Every monitor in the operator's examples and the guide, turned into jobs and run against the recorded cluster:
/// the targets and their final labels are what Prometheus scrapes with the operator's generated configuration.
/// </summary>
public sealed class MonitorExampleTests
{
    private const string ExampleAppPod1 = "example-app-5d8f9-a1b2c";
    private const string ExampleAppPod2 = "example-app-5d8f9-d3e4f";

    private static readonly string[] s_exampleAppService =
    [
        $"http://10.0.1.10:8080/metrics container=example-app,endpoint=web,instance=10.0.1.10:8080,job=example-app,namespace=default,pod={ExampleAppPod1},service=example-app",
        $"http://10.0.1.11:8080/metrics container=example-app,endpoint=web,instance=10.0.1.11:8080,job=example-app,namespace=default,pod={ExampleAppPod2},service=example-app",
    ];

    public static TheoryData<string, string, string[]> Examples => new()
    {
        {
            "admission-webhook_service-monitor.yaml", "serviceMonitor/default/prometheus-operator-admission-webhook/0",
            [
                "http://10.0.1.30:8443/metrics container=prometheus-operator-admission-webhook,endpoint=https,instance=10.0.1.30:8443,"
                    + "job=prometheus-operator-admission-webhook,namespace=default,pod=prometheus-operator-admission-webhook-6b7c-q1w2e,"
                    + "service=prometheus-operator-admission-webhook",
            ]
        },
        {
            // The 0.92.0 operator's service has the same name and component labels but another version: not selected.
            "rbac_prometheus-operator_prometheus-operator-service-monitor.yaml", "serviceMonitor/default/prometheus-operator/0",
            [
                "http://10.0.1.20:8080/metrics container=prometheus-operator,endpoint=http,instance=10.0.1.20:8080,job=prometheus-operator,"
                    + "namespace=default,pod=prometheus-operator-7c9d-x1y2z,service=prometheus-operator",
            ]
        },
        { "shards_example-app-service-monitor.yaml", "serviceMonitor/default/example-app/0", s_exampleAppService },
        {
            // Only the web port: the service's reloader-web port on the same pod is another endpoint's business.
            "thanos_prometheus-servicemonitor.yaml", "serviceMonitor/default/prometheus-self/0",
            ["http://10.0.1.40:9090/metrics container=prometheus,endpoint=web,instance=10.0.1.40:9090,job=prometheus,namespace=default,pod=prometheus-self-0,service=prometheus"]
        },
        { "user-guides_getting-started_example-app-service-monitor.yaml", "serviceMonitor/default/example-app/0", s_exampleAppService },
        {
            // The Succeeded pod with the same labels is dropped by the operator's running filter.
            "user-guides_getting-started_example-app-pod-monitor.yaml", "podMonitor/default/example-app/0",
            [
                $"http://10.0.1.10:8080/metrics container=example-app,endpoint=web,instance=10.0.1.10:8080,job=default/example-app,namespace=default,pod={ExampleAppPod1}",
                $"http://10.0.1.11:8080/metrics container=example-app,endpoint=web,instance=10.0.1.11:8080,job=default/example-app,namespace=default,pod={ExampleAppPod2}",
            ]
        },
        {
            // No selector: every pod of the namespace with a container port named http.
            "user-guides_scrapeclass_scrapeclass-example-podmonitor.yaml", "podMonitor/default/scrapeclass-example/0",
            [
                "http://10.0.1.20:8080/metrics container=prometheus-operator,endpoint=http,instance=10.0.1.20:8080,job=default/scrapeclass-example,namespace=default,pod=prometheus-operator-7c9d-x1y2z",
                "http://10.0.1.50:8080/metrics container=prometheus-operator,endpoint=http,instance=10.0.1.50:8080,job=default/scrapeclass-example,namespace=default,pod=old-operator-1a2b-c3d4e",
            ]
        },
        {
            "user-guides_scrapeclass_scrapeclass-example-servicemonitor.yaml", "serviceMonitor/default/servicemonitor-example/0",
            [
                "http://10.0.1.20:8080/metrics container=prometheus-operator,endpoint=http,instance=10.0.1.20:8080,job=prometheus-operator,namespace=default,pod=prometheus-operator-7c9d-x1y2z,service=prometheus-operator",
                "http://10.0.1.50:8080/metrics container=prometheus-operator,endpoint=http,instance=10.0.1.50:8080,job=old-operator,namespace=default,pod=old-operator-1a2b-c3d4e,service=old-operator",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_monitor_scrapes_what_the_operator_configuration_scrapes(string fileName, string jobName, string[] expected)
    {
        var job = Assert.Single(Generate(Example(fileName)));

        Assert.Equal(jobName, job.JobName);
        Assert.Equal([.. expected.Order(StringComparer.Ordinal)], DescribeAll(job));
    }

    [Fact]
    public void Every_monitor_among_the_examples_is_checked()
    {
        var monitors = Directory.GetFiles(ExamplesDirectory, "*.yaml")
            .Where(f => Documents(File.ReadAllText(f)).Any(d => (string?)d["kind"] is "ServiceMonitor" or "PodMonitor"))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(Examples.Select(row => (string)row[0]).Order(StringComparer.Ordinal), monitors);
    }

    [Fact]
    public void Guide_service_monitor_scrapes_its_own_namespace_every_30s()
    {
        var job = Assert.Single(Generate(SeedServiceMonitor()));

        Assert.Equal("serviceMonitor/monitoring/my-web-app-metrics/0", job.JobName);
        Assert.Equal(["monitoring"], Assert.Single(job.KubernetesSdConfigs).Namespaces);
        Assert.Equal(TimeSpan.FromSeconds(30), job.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), job.ScrapeTimeout);
        // The my-web-app service in default has the same labels and port, but the monitor does not look there.
        Assert.Equal(
            ["http://10.0.2.10:9100/metrics container=web,endpoint=metrics,instance=10.0.2.10:9100,job=my-web-app,namespace=monitoring,pod=my-web-app-84b6c-k7m8n,service=my-web-app"],
            DescribeAll(job));
    }

    [Fact]
    public void Endpoint_settings_carry_over_to_the_job()
    {
        var webhook = Assert.Single(Generate(Example("admission-webhook_service-monitor.yaml")));
        var prometheus = Assert.Single(Generate(Example("thanos_prometheus-servicemonitor.yaml")));

        Assert.True(webhook.HonorLabels);
        Assert.True(webhook.HonorTimestamps);
        Assert.Equal(TimeSpan.FromMinutes(1), webhook.ScrapeInterval);
        Assert.False(prometheus.HonorLabels);
        Assert.Equal(TimeSpan.FromSeconds(30), prometheus.ScrapeInterval);
        Assert.Equal("/metrics", prometheus.MetricsPath);
        Assert.Equal("http", prometheus.Scheme);
    }
}
