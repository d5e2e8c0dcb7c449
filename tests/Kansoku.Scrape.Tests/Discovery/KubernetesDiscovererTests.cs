using Kansoku.Core.Labels;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Testing;
using static Kansoku.Scrape.Tests.Discovery.KubernetesDiscoveryHarness;

namespace Kansoku.Scrape.Tests.Discovery;

public sealed class KubernetesDiscovererTests
{
    private const string M = "__meta_kubernetes_";
    private const string WebPod = "web-6f8b7c9d4-abcde";

    private static readonly (string, string)[] s_webPodLabels =
    [
        (M + "pod_ip", "10.244.2.17"), (M + "pod_ready", "true"), (M + "pod_phase", "Running"), (M + "pod_node_name", "worker-2"),
        (M + "pod_host_ip", "10.0.0.12"), (M + "pod_uid", "0b5c7f4e-2d1a-4c8e-9f3b-1a2b3c4d5e6f"), (M + "pod_name", WebPod),
        (M + "pod_label_app", "web"), (M + "pod_labelpresent_app", "true"),
        (M + "pod_label_app_kubernetes_io_name", "web"), (M + "pod_labelpresent_app_kubernetes_io_name", "true"),
        (M + "pod_label_pod_template_hash", "6f8b7c9d4"), (M + "pod_labelpresent_pod_template_hash", "true"),
        (M + "pod_annotation_prometheus_io_scrape", "true"), (M + "pod_annotationpresent_prometheus_io_scrape", "true"),
        (M + "pod_annotation_prometheus_io_port", "9102"), (M + "pod_annotationpresent_prometheus_io_port", "true"),
        (M + "pod_controller_kind", "ReplicaSet"), (M + "pod_controller_name", "web-6f8b7c9d4"),
    ];

    private static readonly (string, string)[] s_webServiceLabels =
    [
        (M + "namespace", "shop"), (M + "service_name", "web"), (M + "service_label_app", "web"), (M + "service_labelpresent_app", "true"),
        (M + "service_annotation_prometheus_io_scrape", "true"), (M + "service_annotationpresent_prometheus_io_scrape", "true"),
    ];

    [Fact]
    public async Task Pod_role_gives_a_target_per_container_port_and_follows_watch_updates_and_deletes()
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.Pod, new Dictionary<string, string> { ["/api/v1/pods"] = "pods.json" });

        var groups = await harness.NextAsync();
        // The pending pod has no IP: Prometheus gives it no targets, so nothing is sent for it.
        var group = Assert.Single(groups.Values);
        Assert.Equal($"pod/shop/{WebPod}", group.Source);
        Assert.Equal(Labels([.. s_webPodLabels, (M + "namespace", "shop")]), group.Labels);
        Assert.Equal(4, group.Targets.Count);
        Assert.Equal(Labels(("__address__", "10.244.2.17:8080"), (M + "pod_container_name", "web"), (M + "pod_container_id", "containerd://2222bbbb"),
            (M + "pod_container_image", "ghcr.io/example/web:3.4.1"), (M + "pod_container_init", "false"), (M + "pod_container_port_number", "8080"),
            (M + "pod_container_port_name", "http"), (M + "pod_container_port_protocol", "TCP")), group.Targets[0]);
        Assert.Equal("10.244.2.17:9102", group.Targets[1].Get("__address__"));
        Assert.Equal(Labels(("__address__", "10.244.2.17"), (M + "pod_container_name", "log-shipper"), (M + "pod_container_id", "containerd://3333cccc"),
            (M + "pod_container_image", "fluent/fluent-bit:3.1"), (M + "pod_container_init", "false")), group.Targets[2]);
        Assert.Equal(Labels(("__address__", "10.244.2.17"), (M + "pod_container_name", "init-schema"), (M + "pod_container_id", "containerd://1111aaaa"),
            (M + "pod_container_image", "ghcr.io/example/migrate:2.1.0"), (M + "pod_container_init", "true")), group.Targets[3]);

        var pending = Item("pods.json", "web-6f8b7c9d4-pending");
        pending["status"]!["podIP"] = "10.244.3.9";
        pending["status"]!["phase"] = "Running";
        harness.Server.Send("/api/v1/pods", "MODIFIED", pending);
        var started = Assert.Single((await harness.NextAsync()).Values);
        Assert.Equal("pod/shop/web-6f8b7c9d4-pending", started.Source);
        Assert.Equal("10.244.3.9:8080", Assert.Single(started.Targets).Get("__address__"));
        Assert.Equal("unknown", started.Labels.Get(M + "pod_ready"));

        harness.Server.Send("/api/v1/pods", "DELETED", Item("pods.json", WebPod));
        var deleted = Assert.Single((await harness.NextAsync()).Values);
        Assert.Equal($"pod/shop/{WebPod}", deleted.Source);
        Assert.Empty(deleted.Targets);
    }

    [Fact]
    public async Task Pod_targets_relabelled_by_the_usual_annotations_job_become_scrape_targets()
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.Pod,
            new Dictionary<string, string> { ["/api/v1/namespaces/shop/pods"] = "pods.json" }, "shop");
        var group = Assert.Single((await harness.NextAsync()).Values);
        var job = PrometheusConfigLoader.LoadFile(Path.Combine(Kansoku.Testing.RepositoryPaths.RepositoryRoot, "tests", "Kansoku.Scrape.Tests", "Config", "testdata", "kubernetes.yml")).ScrapeConfigs
            .Single(c => c.JobName == "kubernetes-pods");

        var set = ScrapeTargetBuilder.Build(job, group);

        // Every container port is rewritten to the annotated port: four discovered targets, one address.
        Assert.All(set.Targets, t => Assert.Equal(new Uri("http://10.244.2.17:9102/metrics"), t.Url));
        Assert.Equal(LabelSet.From(("app", "web"), ("app_kubernetes_io_name", "web"), ("instance", "10.244.2.17:9102"), ("job", "kubernetes-pods"),
            ("namespace", "shop"), ("pod", WebPod), ("pod_template_hash", "6f8b7c9d4")), set.Targets[0].Labels);
        Assert.Contains(harness.Server.Requests, r => r.StartsWith("/api/v1/namespaces/shop/pods?watch=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Service_role_gives_a_target_per_port_with_type_specific_labels()
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.Service,
            new Dictionary<string, string> { ["/api/v1/services"] = "services.json" });

        var groups = await harness.NextAsync();

        var web = groups["svc/shop/web"];
        Assert.Equal(Labels(s_webServiceLabels), web.Labels);
        Assert.Equal(Labels(("__address__", "web.shop.svc:80"), (M + "service_port_name", "http"), (M + "service_port_number", "80"),
            (M + "service_port_protocol", "TCP"), (M + "service_type", "ClusterIP"), (M + "service_cluster_ip", "10.96.14.200")), web.Targets[0]);
        Assert.Equal("web.shop.svc:9102", web.Targets[1].Get("__address__"));
        var edge = Assert.Single(groups["svc/shop/edge"].Targets);
        Assert.Equal("203.0.113.10,203.0.113.11", edge.Get(M + "service_loadbalancer_ip"));
        Assert.Equal("10.96.20.7", edge.Get(M + "service_cluster_ip"));
        var external = Assert.Single(groups["svc/shop/payments-api"].Targets);
        Assert.Equal("api.payments.example.com", external.Get(M + "service_external_name"));
        Assert.False(external.Has(M + "service_cluster_ip"));
    }

    [Fact]
    public async Task Endpoints_role_joins_service_and_pod_labels_and_follows_service_changes()
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.Endpoints, ShopEndpoints, "shop");

        var group = Assert.Single((await harness.NextAsync()).Values);
        Assert.Equal("endpoints/shop/web", group.Source);
        Assert.Equal(Labels([.. s_webServiceLabels, (M + "endpoints_name", "web"), (M + "endpoints_label_app", "web"),
            (M + "endpoints_labelpresent_app", "true")]), group.Labels);
        Assert.Equal(3, group.Targets.Count);
        Assert.Equal(Labels([("__address__", "10.244.2.17:8080"), (M + "endpoint_port_name", "http"), (M + "endpoint_port_protocol", "TCP"),
            (M + "endpoint_ready", "true"), (M + "endpoint_address_target_kind", "Pod"), (M + "endpoint_address_target_name", WebPod),
            (M + "endpoint_node_name", "worker-2"), .. s_webPodLabels,
            (M + "pod_container_name", "web"), (M + "pod_container_image", "ghcr.io/example/web:3.4.1"), (M + "pod_container_port_name", "http"),
            (M + "pod_container_port_number", "8080"), (M + "pod_container_port_protocol", "TCP"), (M + "pod_container_init", "false")]),
            group.Targets[0]);
        // A pod the cache does not know: the endpoint's own labels only.
        Assert.Equal(Labels(("__address__", "10.244.1.40:8080"), (M + "endpoint_port_name", "http"), (M + "endpoint_port_protocol", "TCP"),
            (M + "endpoint_ready", "false"), (M + "endpoint_address_target_kind", "Pod"), (M + "endpoint_address_target_name", "gone-pod"),
            (M + "endpoint_hostname", "web-legacy")), group.Targets[1]);
        // The pod's metrics port is not an endpoint port: Prometheus adds it as a target of its own.
        Assert.Equal(Labels([("__address__", "10.244.2.17:9102"), (M + "pod_container_name", "web"), (M + "pod_container_image", "ghcr.io/example/web:3.4.1"),
            (M + "pod_container_port_name", "metrics"), (M + "pod_container_port_number", "9102"), (M + "pod_container_port_protocol", "TCP"),
            (M + "pod_container_init", "false"), .. s_webPodLabels]), group.Targets[2]);

        var service = Item("services.json", "web");
        service["metadata"]!["labels"]!["tier"] = "frontend";
        harness.Server.Send("/api/v1/namespaces/shop/services", "MODIFIED", service);
        var changed = Assert.Single((await harness.NextAsync()).Values);
        Assert.Equal("frontend", changed.Labels.Get(M + "service_label_tier"));

        harness.Server.Send("/api/v1/namespaces/shop/endpoints", "DELETED", Item("endpoints.json", "web"));
        Assert.Empty(Assert.Single((await harness.NextAsync()).Values).Targets);
    }

    [Fact]
    public async Task Endpointslice_role_labels_conditions_zone_and_ports()
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.EndpointSlice, new Dictionary<string, string>
        {
            ["/apis/discovery.k8s.io/v1/endpointslices"] = "endpointslices.json",
            ["/api/v1/services"] = "services.json",
            ["/api/v1/pods"] = "pods.json",
        });

        var group = Assert.Single((await harness.NextAsync()).Values);
        Assert.Equal("endpointslice/shop/web-x7k2p", group.Source);
        Assert.Equal(Labels([(M + "endpointslice_address_type", "IPv4"), (M + "endpointslice_name", "web-x7k2p"),
            (M + "endpointslice_label_endpointslice_kubernetes_io_managed_by", "endpointslice-controller.k8s.io"),
            (M + "endpointslice_labelpresent_endpointslice_kubernetes_io_managed_by", "true"),
            (M + "endpointslice_label_kubernetes_io_service_name", "web"), (M + "endpointslice_labelpresent_kubernetes_io_service_name", "true"),
            .. s_webServiceLabels]), group.Labels);
        Assert.Equal(2, group.Targets.Count);
        Assert.Equal(Labels([("__address__", "10.244.2.17:8080"), (M + "endpointslice_port_name", "http"), (M + "endpointslice_port_protocol", "TCP"),
            (M + "endpointslice_port", "8080"), (M + "endpointslice_port_app_protocol", "http"),
            (M + "endpointslice_endpoint_conditions_ready", "true"), (M + "endpointslice_endpoint_conditions_serving", "true"),
            (M + "endpointslice_endpoint_conditions_terminating", "false"), (M + "endpointslice_address_target_kind", "Pod"),
            (M + "endpointslice_address_target_name", WebPod), (M + "endpointslice_endpoint_node_name", "worker-2"),
            (M + "endpointslice_endpoint_zone", "eu-west-1b"), .. s_webPodLabels,
            (M + "pod_container_name", "web"), (M + "pod_container_image", "ghcr.io/example/web:3.4.1"), (M + "pod_container_port_name", "http"),
            (M + "pod_container_port_number", "8080"), (M + "pod_container_port_protocol", "TCP"), (M + "pod_container_init", "false")]),
            group.Targets[0]);
        Assert.Equal("10.244.2.17:9102", group.Targets[1].Get("__address__"));

        var slice = Item("endpointslices.json", "web-x7k2p");
        slice["endpoints"]![0]!["conditions"]!["ready"] = false;
        harness.Server.Send("/apis/discovery.k8s.io/v1/endpointslices", "MODIFIED", slice);
        var changed = Assert.Single((await harness.NextAsync()).Values);
        Assert.Equal("false", changed.Targets[0].Get(M + "endpointslice_endpoint_conditions_ready"));
    }

    [Fact]
    public async Task Node_role_targets_the_kubelet_with_addresses_and_conditions()
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.Node, new Dictionary<string, string> { ["/api/v1/nodes"] = "nodes.json" });

        var group = Assert.Single((await harness.NextAsync()).Values);
        Assert.Equal("node/worker-2", group.Source);
        Assert.Equal(Labels((M + "node_provider_id", "kind://docker/kind/worker-2"), (M + "node_name", "worker-2"),
            (M + "node_condition_memorypressure", "false"), (M + "node_condition_diskpressure", "false"),
            (M + "node_condition_pidpressure", "false"), (M + "node_condition_ready", "true"),
            (M + "node_label_kubernetes_io_hostname", "worker-2"), (M + "node_labelpresent_kubernetes_io_hostname", "true"),
            (M + "node_label_kubernetes_io_os", "linux"), (M + "node_labelpresent_kubernetes_io_os", "true"),
            (M + "node_labelpresent_node_role_kubernetes_io_worker", "true"),
            (M + "node_annotation_node_alpha_kubernetes_io_ttl", "0"), (M + "node_annotationpresent_node_alpha_kubernetes_io_ttl", "true")), group.Labels);
        Assert.Equal(Labels(("__address__", "10.0.0.12:10250"), ("instance", "worker-2"), (M + "node_address_InternalIP", "10.0.0.12"),
            (M + "node_address_Hostname", "worker-2")), Assert.Single(group.Targets));

        var node = Item("nodes.json", "worker-2");
        node["status"]!["conditions"]![3]!["status"] = "Unknown";
        harness.Server.Send("/api/v1/nodes", "MODIFIED", node);
        Assert.Equal("unknown", Assert.Single((await harness.NextAsync()).Values).Labels.Get(M + "node_condition_ready"));
        harness.Server.Send("/api/v1/nodes", "DELETED", node);
        Assert.Empty(Assert.Single((await harness.NextAsync()).Values).Targets);
    }

    [Fact]
    public async Task An_expired_watch_lists_again_and_keeps_following_changes()
    {
        await using var harness = new KubernetesDiscoveryHarness(KubernetesRole.Node, new Dictionary<string, string> { ["/api/v1/nodes"] = "nodes.json" });
        harness.Server.ExpireWatch("/api/v1/nodes");
        var first = await harness.NextAsync();
        Assert.Single(first.Values);
        // The expired watch makes the discoverer list again; an unchanged list sends nothing new, and the watch resumes.
        await Kansoku.Testing.Eventually.WaitUntilAsync(() => harness.Server.CountRequests("/api/v1/nodes", watch: false) >= 2);
        Assert.Equal(1, harness.Discoverer.Stats.Relists);
        harness.Server.Send("/api/v1/nodes", "DELETED", Item("nodes.json", "worker-2"));
        Assert.Empty(Assert.Single((await harness.NextAsync()).Values).Targets);
    }

    [Fact]
    public async Task A_kubeconfig_file_names_the_server_and_its_token()
    {
        using var directory = new TempDirectory();
        var nodes = new Dictionary<string, string> { ["/api/v1/nodes"] = "nodes.json" };
        await using var harness = new KubernetesDiscoveryHarness(nodes, url => new KubernetesSdConfig
        {
            Role = KubernetesRole.Node,
            KubeconfigFile = directory.Write("kubeconfig", $$"""
                apiVersion: v1
                kind: Config
                clusters: [{ name: fake, cluster: { server: "{{url}}" } }]
                users: [{ name: tester, user: { token: kubeconfig-token } }]
                contexts: [{ name: fake, context: { cluster: fake, user: tester } }]
                current-context: fake
                """),
        }, requiredToken: "kubeconfig-token");
        Assert.Equal("node/worker-2", Assert.Single((await harness.NextAsync()).Values).Source);
    }

    [Fact]
    public async Task An_api_server_with_a_token_file_sends_the_token()
    {
        using var directory = new TempDirectory();
        var tokenFile = directory.Write("token", "file-token\n");
        var nodes = new Dictionary<string, string> { ["/api/v1/nodes"] = "nodes.json" };
        await using var harness = new KubernetesDiscoveryHarness(nodes, url => new KubernetesSdConfig
        {
            Role = KubernetesRole.Node,
            ApiServer = new Uri(url),
            Http = HttpClientConfig.Default with { Authorization = new AuthorizationConfig("Bearer", null, tokenFile) },
        }, requiredToken: "file-token");
        Assert.Equal("node/worker-2", Assert.Single((await harness.NextAsync()).Values).Source);
    }

    [Fact]
    public async Task Discovery_that_cannot_reach_an_api_reports_why_and_ends()
    {
        await using var harness = new KubernetesDiscoveryHarness(new Dictionary<string, string>(),
            _ => new KubernetesSdConfig { Role = KubernetesRole.Pod, KubeconfigFile = "/nonexistent/kubeconfig" });
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("cannot set up API access", Assert.Single(harness.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Selectors_go_to_the_lists_and_watches_of_their_kind()
    {
        var lists = new Dictionary<string, string> { ["/api/v1/services"] = "services.json", ["/api/v1/pods"] = "pods.json", ["/api/v1/endpoints"] = "endpoints.json" };
        await using var harness = new KubernetesDiscoveryHarness(lists, url => new KubernetesSdConfig
        {
            Role = KubernetesRole.Endpoints,
            ApiServer = new Uri(url),
            Selectors = new Dictionary<KubernetesRole, KubernetesSelector>
            {
                [KubernetesRole.Service] = new("app=web", null),
                [KubernetesRole.Pod] = new(null, "status.phase=Running"),
            },
        });
        await harness.NextAsync();
        await Kansoku.Testing.Eventually.WaitUntilAsync(() => harness.Server.CountRequests("/api/v1/pods", watch: true) > 0
            && harness.Server.CountRequests("/api/v1/services", watch: true) > 0);
        var requests = harness.Server.Requests.ToArray();
        Assert.All(requests.Where(r => r.StartsWith("/api/v1/services", StringComparison.Ordinal)),
            r => Assert.Contains("labelSelector=app%3Dweb", r, StringComparison.Ordinal));
        Assert.All(requests.Where(r => r.StartsWith("/api/v1/pods", StringComparison.Ordinal)),
            r => Assert.Contains("fieldSelector=status.phase%3DRunning", r, StringComparison.Ordinal));
        Assert.All(requests.Where(r => r.StartsWith("/api/v1/endpoints", StringComparison.Ordinal)),
            r => Assert.DoesNotContain("Selector", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Attached_node_metadata_follows_the_node_and_a_pod_without_its_node_has_no_targets()
    {
        var lists = new Dictionary<string, string> { ["/api/v1/pods"] = "pods.json", ["/api/v1/nodes"] = "nodes.json" };
        await using var harness = new KubernetesDiscoveryHarness(lists,
            url => new KubernetesSdConfig { Role = KubernetesRole.Pod, ApiServer = new Uri(url), AttachNodeMetadata = true });

        var group = Assert.Single((await harness.NextAsync()).Values);
        Assert.Equal("worker-2", group.Labels.Get(M + "node_name"));
        Assert.Equal("linux", group.Labels.Get(M + "node_label_kubernetes_io_os"));
        Assert.Equal("true", group.Labels.Get(M + "node_labelpresent_node_role_kubernetes_io_worker"));
        Assert.Equal(4, group.Targets.Count);

        var node = Item("nodes.json", "worker-2");
        node["metadata"]!["labels"]!["topology.kubernetes.io/zone"] = "eu-west-1b";
        harness.Server.Send("/api/v1/nodes", "MODIFIED", node);
        Assert.Equal("eu-west-1b", Assert.Single((await harness.NextAsync()).Values).Labels.Get(M + "node_label_topology_kubernetes_io_zone"));

        harness.Server.Send("/api/v1/nodes", "DELETED", node);
        Assert.Empty(Assert.Single((await harness.NextAsync()).Values).Targets);
    }

    [Fact]
    public async Task Attached_node_metadata_lands_on_each_endpoint_target_with_a_node()
    {
        var lists = new Dictionary<string, string>
        {
            ["/api/v1/endpoints"] = "endpoints.json", ["/api/v1/services"] = "services.json", ["/api/v1/pods"] = "pods.json", ["/api/v1/nodes"] = "nodes.json",
        };
        await using var harness = new KubernetesDiscoveryHarness(lists,
            url => new KubernetesSdConfig { Role = KubernetesRole.Endpoints, ApiServer = new Uri(url), AttachNodeMetadata = true });

        var group = Assert.Single((await harness.NextAsync()).Values);
        Assert.Equal("linux", group.Targets[0].Get(M + "node_label_kubernetes_io_os"));
        Assert.False(group.Targets[1].Has(M + "node_name"));
    }
}
