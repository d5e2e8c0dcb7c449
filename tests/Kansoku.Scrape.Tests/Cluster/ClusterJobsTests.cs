using Kansoku.Core.Labels;
using Kansoku.Scrape.Cluster;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.KubeState;
using Kansoku.Scrape.Tests.Discovery;

namespace Kansoku.Scrape.Tests.Cluster;

/// <summary>The built-in cluster jobs over the recorded objects give the targets a Helm-chart or kube-prometheus user expects.</summary>
public sealed class ClusterJobsTests
{
    private static readonly GlobalConfig s_global = new() { ScrapeInterval = TimeSpan.FromSeconds(15), ScrapeTimeout = TimeSpan.FromSeconds(5) };

    private static IReadOnlyList<ScrapeConfig> Jobs(ClusterAccess? access = null)
    {
        using var kubeState = new KubeStateEndpoint(new KubeStateCache());
        return ClusterJobs.Create(access ?? ClusterAccess.InCluster(), s_global, kubeState);
    }

    private static ScrapeConfig Job(string name) => Jobs().Single(j => j.JobName == name);

    [Fact]
    public void Every_job_takes_the_global_interval_and_the_cluster_access()
    {
        var jobs = Jobs(new ClusterAccess("/etc/kansoku/kubeconfig", HttpClientConfig.Default));
        Assert.Equal(["kubernetes-pods", "kubernetes-service-endpoints", "kubelet/cadvisor", "kubelet/resource", "kube-state-metrics"],
            jobs.Select(j => j.JobName));
        Assert.All(jobs, j => Assert.Equal(TimeSpan.FromSeconds(15), j.ScrapeInterval));
        Assert.All(jobs, j => Assert.Equal(TimeSpan.FromSeconds(5), j.ScrapeTimeout));
        Assert.All(jobs.SelectMany(j => j.KubernetesSdConfigs), sd => Assert.Equal("/etc/kansoku/kubeconfig", sd.KubeconfigFile));
        Assert.NotNull(jobs.Single(j => j.JobName == ClusterJobs.KubeStateJob).InProcessEndpoint);
        Assert.All(jobs.Where(j => j.JobName != ClusterJobs.KubeStateJob), j => Assert.Null(j.InProcessEndpoint));
    }

    [Fact]
    public async Task An_annotated_pod_is_scraped_once_on_its_annotated_port_with_its_labels()
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.Pod, new Dictionary<string, string> { ["/api/v1/pods"] = "pods.json" });
        var group = Assert.Single((await harness.NextAsync()).Values);

        var set = ScrapeTargetBuilder.Build(Job("kubernetes-pods"), group);

        // One discovered target per container port; relabelling gives them one address and one label set, which the
        // scrape pool scrapes once.
        Assert.Equal(4, set.Targets.Count);
        Assert.Single(set.Targets.Select(t => t.Labels).Distinct());
        Assert.All(set.Targets, t => Assert.Equal(new Uri("http://10.244.2.17:9102/metrics"), t.Url));
        Assert.Equal(LabelSet.From(("app", "web"), ("app_kubernetes_io_name", "web"), ("instance", "10.244.2.17:9102"), ("job", "kubernetes-pods"),
            ("namespace", "shop"), ("node", "worker-2"), ("pod", "web-6f8b7c9d4-abcde"), ("pod_template_hash", "6f8b7c9d4")), set.Targets[0].Labels);
    }

    [Fact]
    public void The_pod_annotations_choose_scheme_path_and_params_and_an_unannotated_or_finished_pod_is_left_alone()
    {
        const string M = "__meta_kubernetes_pod_";
        var annotated = LabelSet.From(("__address__", "10.1.2.3:8080"), (M + "ip", "10.1.2.3"), (M + "phase", "Running"), ("__meta_kubernetes_namespace", "ops"),
            (M + "name", "exporter"), (M + "annotation_prometheus_io_scrape", "true"), (M + "annotation_prometheus_io_scheme", "https"),
            (M + "annotation_prometheus_io_path", "/probe"), (M + "annotation_prometheus_io_port", "9115"),
            (M + "annotation_prometheus_io_param_module", "http_2xx"));
        var unannotated = LabelSet.From(("__address__", "10.1.2.4:8080"), (M + "ip", "10.1.2.4"), (M + "phase", "Running"));
        var finished = annotated.With(M + "phase", "Succeeded");

        var set = ScrapeTargetBuilder.Build(Job("kubernetes-pods"), new TargetGroup("pods", [annotated, unannotated, finished], LabelSet.Empty));

        var target = Assert.Single(set.Targets);
        Assert.Equal(new Uri("https://10.1.2.3:9115/probe?module=http_2xx"), target.Url);
        Assert.Equal(2, set.Dropped.Count);
    }

    [Fact]
    public async Task An_annotated_service_is_scraped_at_each_endpoint_with_service_and_node_labels()
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.Endpoints, KubernetesDiscoveryHarness.ShopEndpoints, "shop");
        var group = Assert.Single((await harness.NextAsync()).Values);

        var set = ScrapeTargetBuilder.Build(Job("kubernetes-service-endpoints"), group);

        var ready = set.Targets.Single(t => t.Labels.Get("instance") == "10.244.2.17:8080");
        Assert.Equal(LabelSet.From(("app", "web"), ("instance", "10.244.2.17:8080"), ("job", "kubernetes-service-endpoints"), ("namespace", "shop"),
            ("node", "worker-2"), ("service", "web")), ready.Labels);
        Assert.Equal(new Uri("http://10.244.2.17:8080/metrics"), ready.Url);
    }

    [Theory]
    [InlineData("kubelet/cadvisor", "/metrics/cadvisor")]
    [InlineData("kubelet/resource", "/metrics/resource")]
    public async Task Every_node_s_kubelet_is_scraped_over_https_labelled_by_node_and_path(string jobName, string path)
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.Node, new Dictionary<string, string> { ["/api/v1/nodes"] = "nodes.json" });
        var group = Assert.Single((await harness.NextAsync()).Values);
        var job = Job(jobName);

        var target = Assert.Single(ScrapeTargetBuilder.Build(job, group).Targets);

        Assert.Equal(new Uri($"https://10.0.0.12:10250{path}"), target.Url);
        // Prometheus' node role names the instance after the node.
        Assert.Equal(LabelSet.From(("instance", "worker-2"), ("job", "kubelet"), ("metrics_path", path), ("node", "worker-2")), target.Labels);
        Assert.Equal(new AuthorizationConfig("Bearer", null, "/var/run/secrets/kubernetes.io/serviceaccount/token"), job.Http.Authorization);
        Assert.True(job.Http.Tls.InsecureSkipVerify);
    }

    [Fact]
    public void The_kube_state_job_has_one_target_named_for_this_process()
    {
        var job = Job(ClusterJobs.KubeStateJob);
        var target = Assert.Single(ScrapeTargetBuilder.Build(job, Assert.Single(job.StaticConfigs)).Targets);
        Assert.Equal(LabelSet.From(("instance", "kansoku"), ("job", "kube-state-metrics")), target.Labels);
        Assert.True(job.HonorLabels);
    }

    [Fact]
    public void A_kubeconfig_s_token_is_what_the_kubelets_are_sent()
    {
        using var directory = new Kansoku.Testing.TempDirectory();
        var kubeconfig = Kansoku.Testing.Kubernetes.Kubeconfig.Write(directory.Path, "http://127.0.0.1:1", "s3cret");

        var access = ClusterAccess.FromKubeconfig(kubeconfig);

        Assert.Equal(kubeconfig, access.KubeconfigFile);
        Assert.Equal(new AuthorizationConfig("Bearer", "s3cret", null), access.Kubelet.Authorization);
    }
}
