using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kansoku.Testing;
using Kansoku.Testing.Kubernetes;

namespace Kansoku.Cli.Tests.Metrics;

/// <summary>
/// <c>kansoku server --kubeconfig</c> against the in-process API server, with no scrape configuration written: the
/// annotated pod, the node's kubelet (HTTPS, bearer token), kube-state metrics and a ServiceMonitor's service are all
/// collected; the configuration
/// file is reloaded by <c>POST /-/reload</c> and by SIGHUP.
/// </summary>
public sealed class ClusterMonitoringTests
{
    private const string Token = "cluster-token";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private static JsonObject List(string kind, string items = "") =>
        JsonNode.Parse($$"""{ "kind": "{{kind}}", "apiVersion": "v1", "metadata": { "resourceVersion": "100" }, "items": [ {{items}} ] }""")!.AsObject();

    private static JsonObject Lists(int appPort, int kubeletPort) => new()
    {
        ["pods"] = List("PodList", $$"""
            {
              "metadata": { "name": "web-1", "namespace": "demo", "uid": "u-web-1", "resourceVersion": "90", "labels": { "app": "web" },
                            "annotations": { "prometheus.io/scrape": "true", "prometheus.io/port": "{{appPort}}", "prometheus.io/path": "/app-metrics" } },
              "spec": { "nodeName": "node-1", "containers": [ { "name": "web", "image": "web:1", "ports": [ { "containerPort": 8080 } ] } ] },
              "status": { "phase": "Running", "podIP": "127.0.0.1", "hostIP": "127.0.0.1",
                          "conditions": [ { "type": "Ready", "status": "True" } ],
                          "containerStatuses": [ { "name": "web", "ready": true, "restartCount": 3, "image": "web:1", "imageID": "",
                                                   "state": { "running": { "startedAt": "2026-12-04T00:00:00Z" } } } ] }
            }
            """),
        ["nodes"] = List("NodeList", $$"""
            {
              "metadata": { "name": "node-1", "uid": "u-node-1", "resourceVersion": "80" },
              "status": { "addresses": [ { "type": "InternalIP", "address": "127.0.0.1" } ],
                          "daemonEndpoints": { "kubeletEndpoint": { "Port": {{kubeletPort}} } },
                          "conditions": [ { "type": "Ready", "status": "True" } ] }
            }
            """),
        ["deployments"] = List("DeploymentList", """
            { "metadata": { "name": "web", "namespace": "demo", "uid": "u-dep", "resourceVersion": "70" },
              "spec": { "replicas": 1, "selector": { "matchLabels": { "app": "web" } }, "template": { "metadata": {}, "spec": { "containers": [] } } },
              "status": { "replicas": 1, "availableReplicas": 1 } }
            """),
        ["services"] = List("ServiceList", $$"""
            { "metadata": { "name": "web", "namespace": "demo", "uid": "u-svc", "resourceVersion": "60", "labels": { "app": "web" } },
              "spec": { "selector": { "app": "web" }, "ports": [ { "name": "metrics", "port": {{appPort}}, "targetPort": {{appPort}} } ] } }
            """),
        ["endpoints"] = List("EndpointsList", $$"""
            { "metadata": { "name": "web", "namespace": "demo", "uid": "u-ep", "resourceVersion": "61", "labels": { "app": "web" } },
              "subsets": [ { "addresses": [ { "ip": "127.0.0.1", "nodeName": "node-1", "targetRef": { "kind": "Pod", "name": "web-1", "namespace": "demo" } } ],
                             "ports": [ { "name": "metrics", "port": {{appPort}}, "protocol": "TCP" } ] } ] }
            """),
        ["servicemonitors"] = List("ServiceMonitorList", """
            { "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
              "metadata": { "name": "web", "namespace": "demo", "uid": "u-sm", "resourceVersion": "50", "generation": 1 },
              "spec": { "selector": { "matchLabels": { "app": "web" } }, "endpoints": [ { "port": "metrics", "path": "/app-metrics" } ] } }
            """),
        ["podmonitors"] = List("PodMonitorList"),
    };

    [Fact]
    public async Task Annotated_pods_kubelets_and_kube_state_are_scraped_and_the_config_reloads()
    {
        using var directory = new TempDirectory();
        using var app = new MetricsTarget(tls: false, path => path == "/app-metrics"
            ? "# TYPE my_app_http_requests_total counter\nmy_app_http_requests_total{status=\"200\"} 7\n" : null);
        using var kubelet = new MetricsTarget(tls: true, path => path switch
        {
            "/metrics/cadvisor" => "# TYPE container_cpu_usage_seconds_total counter\ncontainer_cpu_usage_seconds_total{namespace=\"demo\",pod=\"web-1\",container=\"web\"} 12.5\n",
            "/metrics/resource" => "# TYPE node_cpu_usage_seconds_total counter\nnode_cpu_usage_seconds_total 99\n",
            _ => null,
        });
        var lists = Lists(app.Port, kubelet.Port);
        JsonObject Copy(string name) => (JsonObject)lists[name]!.DeepClone();
        // The built-in jobs watch every namespace; the ServiceMonitor's job watches its own.
        await using var api = new FakeKubeApiServer(new Dictionary<string, JsonObject>
        {
            ["/api/v1/pods"] = Copy("pods"),
            ["/api/v1/nodes"] = Copy("nodes"),
            ["/api/v1/services"] = Copy("services"),
            ["/api/v1/endpoints"] = Copy("endpoints"),
            ["/apis/apps/v1/deployments"] = Copy("deployments"),
            ["/api/v1/namespaces/demo/pods"] = Copy("pods"),
            ["/api/v1/namespaces/demo/services"] = Copy("services"),
            ["/api/v1/namespaces/demo/endpoints"] = Copy("endpoints"),
            ["/apis/monitoring.coreos.com/v1/servicemonitors"] = Copy("servicemonitors"),
            ["/apis/monitoring.coreos.com/v1/podmonitors"] = Copy("podmonitors"),
        }) { RequiredToken = Token };
        var kubeconfig = Kubeconfig.Write(directory.Path, api.Url, Token);
        var configFile = Path.Combine(directory.Path, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n");
        using var kansoku = ChildProcess.StartKansoku("server", "--data-dir", Path.Combine(directory.Path, "data"), "--listen", "127.0.0.1:0",
            "--config", configFile, "--kubeconfig", kubeconfig);
        var url = await kansoku.ListeningAddressAsync(s_startTimeout);
        using var http = new HttpClient { BaseAddress = url };

        async Task<JsonElement[]> Query(string selector)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(selector)}"));
            return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => r.Clone())];
        }
        async Task Has(string selector) => await Eventually.WaitUntilAsync(() => Query(selector).GetAwaiter().GetResult().Length > 0, 30_000,
            () => $"no {selector}\n{kansoku.Output}");

        await Has("up{job=\"kubernetes-pods\",namespace=\"demo\",pod=\"web-1\",node=\"node-1\",app=\"web\"}");
        var up = await Query("up");
        Assert.All(up, series => Assert.Equal("1", series.GetProperty("value")[1].GetString()));
        await Has("my_app_http_requests_total{job=\"kubernetes-pods\",pod=\"web-1\",status=\"200\"}");
        await Has("container_cpu_usage_seconds_total{job=\"kubelet\",metrics_path=\"/metrics/cadvisor\",node=\"node-1\",pod=\"web-1\"}");
        await Has("node_cpu_usage_seconds_total{job=\"kubelet\",metrics_path=\"/metrics/resource\",instance=\"node-1\"}");
        Assert.All(kubelet.Requests, request => Assert.Equal($"Bearer {Token}", request.Authorization));
        await Has("kube_pod_status_phase{job=\"kube-state-metrics\",namespace=\"demo\",pod=\"web-1\",phase=\"Running\"}");
        var restarts = Assert.Single(await Query("kube_pod_container_status_restarts_total{pod=\"web-1\",container=\"web\"}"));
        Assert.Equal("3", restarts.GetProperty("value")[1].GetString());
        await Has("kube_deployment_status_replicas_available{namespace=\"demo\",deployment=\"web\"}");
        // The ServiceMonitor's job, labelled as the Prometheus Operator labels it.
        await Has("my_app_http_requests_total{job=\"web\",namespace=\"demo\",service=\"web\",endpoint=\"metrics\",pod=\"web-1\"}");
        Assert.Contains("serviceMonitor/demo/web/0", TargetJobs(http));

        // A job added to the file is scraped after POST /-/reload; a broken file is refused and the running jobs stay.
        await File.WriteAllTextAsync(configFile, $$"""
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
            scrape_configs:
              - job_name: extra
                metrics_path: /app-metrics
                static_configs: [{ targets: ['127.0.0.1:{{app.Port}}'] }]
            """);
        using (var reload = await http.PostAsync("/-/reload", null))
        {
            Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        }
        await Has("my_app_http_requests_total{job=\"extra\"}");
        await File.WriteAllTextAsync(configFile, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: [broken\n");
        using (var refused = await http.PostAsync("/-/reload", null))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
            Assert.Contains("failed to reload config", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var runtime = JsonDocument.Parse(await http.GetStringAsync("/api/v1/status/runtimeinfo")))
        {
            Assert.False(runtime.RootElement.GetProperty("data").GetProperty("reloadConfigSuccess").GetBoolean());
        }

        // SIGHUP reloads as Prometheus does: the extra job goes away, the built-in ones stay.
        await File.WriteAllTextAsync(configFile, "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n");
        using (var hup = System.Diagnostics.Process.Start("kill", ["-HUP", kansoku.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await hup.WaitForExitAsync();
        }
        await Eventually.WaitUntilAsync(() => !TargetJobs(http).Contains("extra"), 30_000, () => kansoku.Output);
        Assert.Contains("kubernetes-pods", TargetJobs(http));
        Assert.False(kansoku.HasExited);
    }

    private static HashSet<string> TargetJobs(HttpClient http)
    {
        using var document = JsonDocument.Parse(http.GetStringAsync("/api/v1/targets").GetAwaiter().GetResult());
        return [.. document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => t.GetProperty("scrapePool").GetString()!)];
    }
}
