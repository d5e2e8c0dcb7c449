using System.Text.Json.Nodes;
using k8s;
using Kansoku.Agent.Config;
using Kansoku.Agent.Kubernetes;
using Kansoku.Agent.Pipeline;
using Kansoku.Kubernetes;
using Kansoku.Testing.Kubernetes;

namespace Kansoku.Agent.Tests.Kubernetes;

public sealed class KubernetesMetadataProviderTests : IAsyncLifetime, IDisposable
{
    private const string WebappUid = "3f1c2a9e-5b7d-4e21-9a0c-6d8e2f4b1a77";
    private const string WebappId = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static readonly string s_webappPath =
        $"/var/log/containers/webapp-7d4b9c6f5d-x2x8k_demo_webapp-{WebappId}.log";

    private static readonly KubernetesWatchSettings s_fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        WatchTimeoutSeconds = 60,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    private readonly StringWriter _logText = new();
    private readonly ManualTimeProvider _time = new();
    private FakeKubeApiServer _server = null!;
    private KubernetesMetadataProvider? _provider;

    public Task InitializeAsync()
    {
        _server = FakeKubeApiServer.FromTestData();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
        await _server.DisposeAsync();
    }

    public void Dispose() => _logText.Dispose();

    [Fact]
    public async Task Lookup_after_initial_list_has_labels_owner_image_node_and_namespace_labels()
    {
        var provider = await StartAsync(Options());

        var metadata = provider.Lookup(s_webappPath)!;

        Assert.True(metadata.FromApiServer);
        Assert.Equal("demo", metadata.NamespaceName);
        Assert.Equal("webapp-7d4b9c6f5d-x2x8k", metadata.PodName);
        Assert.Equal("webapp", metadata.ContainerName);
        Assert.Equal(WebappUid, metadata.PodId);
        Assert.Equal(WebappId, metadata.DockerId);
        Assert.Equal("worker-1", metadata.Host);
        Assert.Equal("ghcr.io/example/webapp:1.4.2", metadata.ContainerImage);
        Assert.Equal("webapp", metadata.Labels["app"]);
        Assert.Equal("webapp", metadata.Labels["app.kubernetes.io/name"]);
        Assert.Equal("json", metadata.Annotations["kansoku.io/parser"]);
        Assert.Equal("shop", metadata.NamespaceLabels["team"]);
        Assert.Equal(("Deployment", "webapp"), (metadata.OwnerKind, metadata.OwnerName));
        Assert.Contains(_server.Requests, r => r.Contains("fieldSelector=spec.nodeName%3Dworker-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sidecar_container_gets_its_own_image_and_id_from_status()
    {
        var provider = await StartAsync(Options());

        var metadata = provider.Lookup($"/var/log/pods/demo_webapp-7d4b9c6f5d-x2x8k_{WebappUid}/istio-proxy/0.log")!;

        Assert.Equal("docker.io/istio/proxyv2:1.22.3", metadata.ContainerImage);
        Assert.Equal("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", metadata.DockerId);
        Assert.Equal(0, metadata.RestartCount);
    }

    [Fact]
    public async Task DaemonSet_and_Job_pods_name_their_direct_owner()
    {
        var provider = await StartAsync(Options());

        var daemon = provider.Lookup($"/var/log/containers/fluent-bit-8kx2p_logging_fluent-bit-{new string('a', 64)}.log")!;
        var job = provider.Lookup($"/var/log/pods/demo_db-migrate-28876320-q7t9z_5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9/migrate/0.log")!;

        Assert.Equal(("DaemonSet", "fluent-bit"), (daemon.OwnerKind, daemon.OwnerName));
        Assert.Equal(("Job", "db-migrate-28876320"), (job.OwnerKind, job.OwnerName));
        Assert.Equal("ghcr.io/example/migrate:2024.11.1", job.ContainerImage);
    }

    [Fact]
    public async Task Deployment_is_inferred_from_pod_template_hash_when_ReplicaSets_are_unknown()
    {
        _server.SetList(FakeKubeApiServer.ReplicaSets, EmptyList("ReplicaSetList"));
        var provider = await StartAsync(Options());

        var metadata = provider.Lookup(s_webappPath)!;

        Assert.Equal(("Deployment", "webapp"), (metadata.OwnerKind, metadata.OwnerName));
    }

    [Fact]
    public async Task Modified_labels_are_seen_and_move_the_version()
    {
        var provider = await StartAsync(Options());
        var before = provider.Version;
        var pod = KubeTestData.Item("pods.json", "webapp-7d4b9c6f5d-x2x8k");
        pod["metadata"]!["labels"]!["version"] = "1.4.3";
        pod["metadata"]!["resourceVersion"] = "48300";

        _server.Send(FakeKubeApiServer.Pods, "MODIFIED", pod);

        await Eventually(() => provider.Lookup(s_webappPath)!.Labels.ContainsKey("version"), "modified labels");
        Assert.Equal("1.4.3", provider.Lookup(s_webappPath)!.Labels["version"]);
        Assert.True(provider.Version > before);
    }

    [Fact]
    public async Task Status_only_changes_do_not_move_the_version()
    {
        var provider = await StartAsync(Options());
        var pod = KubeTestData.Item("pods.json", "webapp-7d4b9c6f5d-x2x8k");
        pod["status"]!["podIP"] = "10.244.1.99";
        pod["metadata"]!["resourceVersion"] = "48301";
        var marker = KubeTestData.Item("namespaces.json", "demo");
        marker["metadata"]!["labels"]!["marker"] = "x";
        var before = provider.Version;

        _server.Send(FakeKubeApiServer.Pods, "MODIFIED", pod);
        // Namespace events go through their own watch; once the marker is in, the pod event was handled too.
        _server.Send(FakeKubeApiServer.Namespaces, "MODIFIED", marker);
        await Eventually(() => provider.Lookup(s_webappPath)!.NamespaceLabels.ContainsKey("marker"), "namespace label");
        await Eventually(() => provider.Stats.Events >= 2, "both events");

        Assert.Equal(before + 1, provider.Version);
    }

    [Fact]
    public async Task Deleted_pod_keeps_metadata_for_the_grace_period_then_falls_back_to_the_path()
    {
        var provider = await StartAsync(Options() with { DeletedPodGrace = TimeSpan.FromMinutes(5) });
        var job = KubeTestData.Item("pods.json", "db-migrate-28876320-q7t9z");
        job["metadata"]!["resourceVersion"] = "48400";
        var path = $"/var/log/pods/demo_db-migrate-28876320-q7t9z_5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9/migrate/0.log";
        var version = provider.Version;

        _server.Send(FakeKubeApiServer.Pods, "DELETED", job);
        await Eventually(() => provider.Version > version, "delete event");

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(provider.Lookup(path)!.FromApiServer);
        Assert.Equal("db-migrate-28876320", provider.Lookup(path)!.Labels["job-name"]);

        _time.Advance(TimeSpan.FromMinutes(2));
        var expired = provider.Lookup(path)!;
        Assert.False(expired.FromApiServer);
        Assert.Equal("db-migrate-28876320-q7t9z", expired.PodName);
        Assert.Empty(expired.Labels);
    }

    [Fact]
    public async Task Recreated_pod_with_the_same_name_does_not_lend_metadata_to_the_old_pods_files()
    {
        var provider = await StartAsync(Options());
        var old = KubeTestData.Item("pods.json", "webapp-7d4b9c6f5d-x2x8k");
        old["metadata"]!["resourceVersion"] = "48500";
        var recreated = old.DeepClone().AsObject();
        recreated["metadata"]!["uid"] = "99999999-0000-4000-8000-000000000001";
        recreated["metadata"]!["labels"]!["generation"] = "2";
        recreated["metadata"]!["resourceVersion"] = "48501";

        _server.Send(FakeKubeApiServer.Pods, "DELETED", old);
        _server.Send(FakeKubeApiServer.Pods, "ADDED", recreated);
        await Eventually(() => provider.Lookup(s_webappPath)!.Labels.ContainsKey("generation"), "recreated pod by name");

        var oldFile = provider.Lookup($"/var/log/pods/demo_webapp-7d4b9c6f5d-x2x8k_{WebappUid}/webapp/0.log")!;
        Assert.False(oldFile.Labels.ContainsKey("generation"));
        Assert.Equal(WebappUid, oldFile.PodId);
        Assert.True(oldFile.FromApiServer);
    }

    [Fact]
    public async Task Dropped_watch_reconnects_from_the_last_resource_version()
    {
        var provider = await StartAsync(Options());
        var pod = KubeTestData.Item("pods.json", "webapp-7d4b9c6f5d-x2x8k");
        pod["metadata"]!["labels"]!["step"] = "1";
        pod["metadata"]!["resourceVersion"] = "48600";
        _server.Send(FakeKubeApiServer.Pods, "MODIFIED", pod);
        await Eventually(() => provider.Lookup(s_webappPath)!.Labels.ContainsKey("step"), "first event");

        _server.CloseWatch(FakeKubeApiServer.Pods);
        await Eventually(() => _server.Requests.Any(r => r.StartsWith(FakeKubeApiServer.Pods, StringComparison.Ordinal)
            && r.Contains("watch=true", StringComparison.Ordinal) && r.Contains("resourceVersion=48600", StringComparison.Ordinal)),
            "a watch resumed at 48600");
        var added = NewPod("api-5c8d7b9f4-k2m3n", "b0b0b0b0-1111-4222-8333-444455556666", "api");
        _server.Send(FakeKubeApiServer.Pods, "ADDED", added);

        await Eventually(() => provider.Lookup($"/var/log/containers/api-5c8d7b9f4-k2m3n_demo_api-{new string('b', 64)}.log")!.FromApiServer,
            "pod added after reconnect");
        Assert.Equal(1, _server.CountRequests(FakeKubeApiServer.Pods, watch: false));
        Assert.True(provider.Stats.WatchRestarts >= 1);
    }

    [Fact]
    public async Task Watches_send_the_credentials_lists_send()
    {
        _server.RequiredToken = "s3cret";
        var provider = await StartAsync(Options(), new KubernetesClientConfiguration { Host = _server.Url, AccessToken = "s3cret" });
        var pod = KubeTestData.Item("pods.json", "webapp-7d4b9c6f5d-x2x8k");
        pod["metadata"]!["labels"]!["rollout"] = "canary";
        pod["metadata"]!["resourceVersion"] = "48650";

        _server.Send(FakeKubeApiServer.Pods, "MODIFIED", pod);

        await Eventually(() => provider.Lookup(s_webappPath)!.Labels.ContainsKey("rollout"), "event through an authorized watch");
        Assert.Equal(0, provider.Stats.Errors);
    }

    [Fact]
    public async Task Bad_watch_lines_are_reported_and_later_events_still_apply()
    {
        var provider = await StartAsync(Options());
        var pod = KubeTestData.Item("pods.json", "webapp-7d4b9c6f5d-x2x8k");
        pod["metadata"]!["labels"]!["after"] = "bad-lines";
        pod["metadata"]!["resourceVersion"] = "48660";

        _server.SendRaw(FakeKubeApiServer.Pods, "{not json");
        _server.SendRaw(FakeKubeApiServer.Pods, """{"type":"RESIZED","object":{"metadata":{"name":"x"}}}""");
        _server.Send(FakeKubeApiServer.Pods, "MODIFIED", pod);
        await Eventually(() => provider.Lookup(s_webappPath)!.Labels.ContainsKey("after"), "event after bad lines");
        _server.CloseWatch(FakeKubeApiServer.Pods);

        await Eventually(() => _logText.ToString().Contains("pods watch error", StringComparison.Ordinal), "the bad line reported");
        Assert.True(provider.Stats.Errors >= 1);
    }

    [Fact]
    public async Task Gone_watch_lists_again()
    {
        var provider = await StartAsync(Options());
        var list = KubeTestData.Json("pods.json");
        list["items"]!.AsArray().Add(NewPod("late-6d5f4c3b2-a1b2c", "c0c0c0c0-1111-4222-8333-444455556666", "late"));
        list["metadata"]!["resourceVersion"] = "49000";
        _server.SetList(FakeKubeApiServer.Pods, list);

        _server.ExpireWatch(FakeKubeApiServer.Pods);

        await Eventually(() => provider.Lookup($"/var/log/containers/late-6d5f4c3b2-a1b2c_demo_late-{new string('c', 64)}.log")!.FromApiServer,
            "pod from the relist");
        Assert.Equal(2, _server.CountRequests(FakeKubeApiServer.Pods, watch: false));
        Assert.True(provider.Stats.Relists >= 1);
    }

    [Fact]
    public async Task Pods_missing_from_a_relist_are_kept_as_deleted()
    {
        var provider = await StartAsync(Options() with { DeletedPodGrace = TimeSpan.FromMinutes(5) });
        _server.SetList(FakeKubeApiServer.Pods, EmptyList("PodList"));

        _server.ExpireWatch(FakeKubeApiServer.Pods);
        await Eventually(() => _server.CountRequests(FakeKubeApiServer.Pods, watch: false) == 2 && provider.Stats.Relists >= 1, "relist");
        await Eventually(() => _server.CountRequests(FakeKubeApiServer.Pods, watch: true) >= 2, "watch after relist");

        Assert.True(provider.Lookup(s_webappPath)!.FromApiServer);
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(provider.Lookup(s_webappPath)!.FromApiServer);
    }

    [Fact]
    public async Task Api_failures_are_logged_counted_and_retried()
    {
        _server.FailNext(FakeKubeApiServer.Pods, 2);

        var provider = await StartAsync(Options());

        Assert.True(provider.Lookup(s_webappPath)!.FromApiServer);
        Assert.True(provider.Stats.Errors >= 2);
        Assert.Contains("pods list failed: 500", _logText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_pod_gives_the_path_identity()
    {
        var provider = await StartAsync(Options());

        var metadata = provider.Lookup($"/var/log/containers/ghost-1_demo_app-{new string('d', 64)}.log")!;

        Assert.False(metadata.FromApiServer);
        Assert.Equal(("demo", "ghost-1", "app"), (metadata.NamespaceName, metadata.PodName, metadata.ContainerName));
        Assert.Equal("worker-1", metadata.Host);
        Assert.Null(provider.Lookup("/var/log/syslog"));
    }

    [Fact]
    public async Task Labels_and_annotations_off_leave_them_empty_except_logging_control_annotations()
    {
        var provider = await StartAsync(Options() with { IncludeLabels = false, IncludeAnnotations = false, AllowParserAnnotation = true });

        var metadata = provider.Lookup(s_webappPath)!;

        Assert.Empty(metadata.Labels);
        Assert.Equal(["kansoku.io/parser"], metadata.Annotations.Keys);
        Assert.Equal("json", KubernetesAnnotations.PodParserAnnotation(metadata, "webapp"));
    }

    [Fact]
    public async Task Guessed_node_name_with_no_pods_falls_back_to_all_nodes()
    {
        var provider = await StartAsync(Options() with { NodeName = "laptop", NodeNameExplicit = false });

        Assert.True(provider.Lookup(s_webappPath)!.FromApiServer);
        Assert.Contains("no pods on node 'laptop'", _logText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_with_an_http_Kube_URL_watches_that_server()
    {
        var spec = new ComponentSpec(ComponentKind.Filter, "kubernetes", new SourceLocation("test.conf", 1, 1));
        spec.Add("Kube_URL", _server.Url, default);
        spec.Add("Kube_Token_File", "/nonexistent/token", default);
        spec.Add("node_name", "worker-1", default);
        var options = KubernetesFilterOptions.From(spec, _ => null);

        var created = KubernetesMetadataProvider.Create(options, new AgentLog(_logText));
        _provider = Assert.IsType<KubernetesMetadataProvider>(created);

        Assert.True(await _provider.WaitForInitialSyncAsync(CancellationToken.None));
        Assert.True(_provider.Lookup(s_webappPath)!.FromApiServer);
    }

    [Fact]
    public async Task Create_without_an_API_server_or_with_bad_credentials_is_path_only()
    {
        var log = new AgentLog(_logText);
        var pathOnly = KubernetesMetadataProvider.Create(KubernetesFilterOptions.PathOnly(), log);
        var badKubeconfig = KubernetesMetadataProvider.Create(
            new KubernetesFilterOptions { ApiMode = KubernetesApiMode.Kubeconfig, KubeconfigPath = "/nonexistent/kubeconfig" }, log);
        var missingToken = KubernetesMetadataProvider.Create(
            new KubernetesFilterOptions { ApiMode = KubernetesApiMode.InCluster, KubeUrl = "https://127.0.0.1:1", TokenFile = "/nonexistent/token" }, log);

        Assert.IsType<PathOnlyMetadataProvider>(pathOnly);
        Assert.IsType<PathOnlyMetadataProvider>(badKubeconfig);
        Assert.IsType<PathOnlyMetadataProvider>(missingToken);
        Assert.Equal("webapp", pathOnly.Lookup(s_webappPath)!.ContainerName);
        var text = _logText.ToString();
        Assert.Contains("metadata from log paths only", text, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/token", text, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Initial_sync_times_out_when_the_server_keeps_failing()
    {
        _server.FailNext(FakeKubeApiServer.Pods, int.MaxValue);

        var provider = Build(Options() with { InitialSyncTimeout = TimeSpan.FromMilliseconds(300) });
        provider.Start();

        Assert.False(await provider.WaitForInitialSyncAsync(CancellationToken.None));
        Assert.Contains("no initial list of pods", _logText.ToString(), StringComparison.Ordinal);
        Assert.False(provider.Lookup(s_webappPath)!.FromApiServer);
    }

    private static KubernetesFilterOptions Options() => new()
    {
        ApiMode = KubernetesApiMode.InCluster,
        NodeName = "worker-1",
        NodeNameExplicit = true,
        InitialSyncTimeout = TimeSpan.FromSeconds(10),
    };

    private KubernetesMetadataProvider Build(KubernetesFilterOptions options, KubernetesClientConfiguration? configuration = null)
    {
        configuration ??= new KubernetesClientConfiguration { Host = _server.Url };
        _provider = new KubernetesMetadataProvider(configuration, options, new AgentLog(_logText, debug: true), s_fast, _time);
        return _provider;
    }

    private async Task<KubernetesMetadataProvider> StartAsync(KubernetesFilterOptions options, KubernetesClientConfiguration? configuration = null)
    {
        var provider = Build(options, configuration);
        provider.Start();
        Assert.True(await provider.WaitForInitialSyncAsync(CancellationToken.None), _logText.ToString());
        // The watches open right after the lists; events sent before that would wait in the server's queue anyway.
        await Eventually(() => _server.CountRequests(FakeKubeApiServer.Pods, watch: true) >= 1, "pod watch open");
        return provider;
    }

    private static JsonObject NewPod(string name, string uid, string container) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "demo",
            ["uid"] = uid,
            ["resourceVersion"] = "48700",
            ["labels"] = new JsonObject { ["app"] = container },
        },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = "worker-1",
            ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = $"ghcr.io/example/{container}:1.0" }),
        },
    };

    private static JsonObject EmptyList(string kind) => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["resourceVersion"] = "48213" },
        ["items"] = new JsonArray(),
    };

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting for " + what);
            }
            await Task.Delay(20);
        }
    }
}
