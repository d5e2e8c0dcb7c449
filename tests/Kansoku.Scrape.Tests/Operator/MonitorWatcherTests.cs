using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kansoku.Kubernetes;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Operator;
using Kansoku.Testing;
using Kansoku.Testing.Kubernetes;
using static Kansoku.Scrape.Tests.Operator.OperatorTestData;

namespace Kansoku.Scrape.Tests.Operator;

public sealed class MonitorWatcherTests
{
    private const string ServiceMonitors = "/apis/monitoring.coreos.com/v1/servicemonitors";
    private const string PodMonitors = "/apis/monitoring.coreos.com/v1/podmonitors";

    private static readonly KubernetesWatchSettings s_fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        WatchTimeoutSeconds = 60,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task Jobs_follow_the_initial_lists_and_every_added_modified_and_deleted_monitor()
    {
        var exampleApp = Example("shards_example-app-service-monitor.yaml");
        var prometheusSelf = Example("thanos_prometheus-servicemonitor.yaml");
        var podMonitor = Example("user-guides_getting-started_example-app-pod-monitor.yaml");
        await using var running = new RunningWatcher(
            new Dictionary<string, JsonObject> { [ServiceMonitors] = List(exampleApp, prometheusSelf), [PodMonitors] = List(podMonitor) },
            s_fast, labelSelector: "team=frontend");

        await running.WaitForJobsAsync("podMonitor/default/example-app/0", "serviceMonitor/default/example-app/0", "serviceMonitor/default/prometheus-self/0");

        running.Server.Send(ServiceMonitors, "ADDED", Versioned(SeedServiceMonitor(), "101"));
        await running.WaitForJobsAsync("podMonitor/default/example-app/0", "serviceMonitor/default/example-app/0",
            "serviceMonitor/default/prometheus-self/0", "serviceMonitor/monitoring/my-web-app-metrics/0");

        var twoEndpoints = Versioned(prometheusSelf, "102");
        twoEndpoints["metadata"]!["generation"] = 2;
        twoEndpoints["spec"]!["endpoints"]!.AsArray().Add(new JsonObject { ["port"] = "reloader-web" });
        running.Server.Send(ServiceMonitors, "MODIFIED", twoEndpoints);
        await running.WaitForJobsAsync("podMonitor/default/example-app/0", "serviceMonitor/default/example-app/0",
            "serviceMonitor/default/prometheus-self/0", "serviceMonitor/default/prometheus-self/1", "serviceMonitor/monitoring/my-web-app-metrics/0");
        var reloader = running.Jobs.Single(j => j.JobName == "serviceMonitor/default/prometheus-self/1");
        Assert.Equal(["http://10.0.1.40:8080/metrics"], Targets(reloader).Select(t => t.Url.ToString()));

        // A label edit leaves metadata.generation as it was: the jobs stand and nothing is published.
        var published = running.Publications;
        var relabelled = Versioned(twoEndpoints, "103");
        relabelled["metadata"]!["labels"]!["team"] = "platform";
        running.Server.Send(ServiceMonitors, "MODIFIED", relabelled);
        var threeEndpoints = Versioned(twoEndpoints, "104");
        threeEndpoints["metadata"]!["generation"] = 3;
        threeEndpoints["spec"]!["endpoints"]!.AsArray().Add(new JsonObject { ["port"] = "web", ["path"] = "/federate" });
        running.Server.Send(ServiceMonitors, "MODIFIED", threeEndpoints);
        await running.WaitForJobsAsync("podMonitor/default/example-app/0", "serviceMonitor/default/example-app/0",
            "serviceMonitor/default/prometheus-self/0", "serviceMonitor/default/prometheus-self/1", "serviceMonitor/default/prometheus-self/2",
            "serviceMonitor/monitoring/my-web-app-metrics/0");
        Assert.Equal(published + 1, running.Publications);

        running.Server.Send(ServiceMonitors, "DELETED", Versioned(exampleApp, "103"));
        running.Server.Send(PodMonitors, "DELETED", Versioned(podMonitor, "104"));
        await running.WaitForJobsAsync("serviceMonitor/default/prometheus-self/0", "serviceMonitor/default/prometheus-self/1",
            "serviceMonitor/default/prometheus-self/2", "serviceMonitor/monitoring/my-web-app-metrics/0");

        Assert.All(running.Server.Requests.Where(r => r.StartsWith("/apis/", StringComparison.Ordinal)),
            r => Assert.Contains("labelSelector=team%3Dfrontend", r, StringComparison.Ordinal));
        Assert.Empty(running.Logs);
    }

    [Fact]
    public async Task Malformed_monitor_is_skipped_with_a_log_line_and_the_watch_goes_on()
    {
        await using var running = new RunningWatcher(
            new Dictionary<string, JsonObject> { [ServiceMonitors] = List(BrokenMonitor("broken-listed", "100")), [PodMonitors] = List() }, s_fast);
        await Eventually.WaitUntilAsync(() => running.Logs.Any(l => l.Contains("broken-listed", StringComparison.Ordinal)));
        Assert.Empty(running.Jobs);

        running.Server.Send(ServiceMonitors, "ADDED", BrokenMonitor("broken-watched", "101"));
        running.Server.Send(ServiceMonitors, "ADDED", Versioned(Example("shards_example-app-service-monitor.yaml"), "102"));
        await running.WaitForJobsAsync("serviceMonitor/default/example-app/0");

        Assert.Equal(
            ["operator: skipping servicemonitor default/broken-listed: spec.endpoints[0].port: The JSON value could not be converted to System.String.",
             "operator: skipping servicemonitor default/broken-watched: spec.endpoints[0].port: The JSON value could not be converted to System.String."],
            running.Logs);
        Assert.Equal(1, running.Server.CountRequests(ServiceMonitors, watch: true));
    }

    [Fact]
    public async Task Missing_crd_is_retried_with_backoff_one_log_line_per_attempt_while_the_other_kind_works()
    {
        var settings = s_fast with { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromSeconds(10) };
        var running = new RunningWatcher(
            new Dictionary<string, JsonObject> { [ServiceMonitors] = List(Example("shards_example-app-service-monitor.yaml")) }, settings);
        await using (running)
        {
            await running.WaitForJobsAsync("serviceMonitor/default/example-app/0");
            // Long enough for a hot loop to send hundreds of requests; backoff from 50 ms allows about five.
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var attempts = running.Server.CountRequests(PodMonitors, watch: false);
        Assert.InRange(attempts, 2, 6);
        var failures = running.Logs.Where(l => l.Contains("podmonitors list failed: 404", StringComparison.Ordinal)).ToList();
        // The last attempt may have been cut short by the stop, before its answer was logged.
        Assert.InRange(failures.Count, attempts - 1, attempts);
        Assert.Equal(failures.Count, running.Logs.Count);
        string[] doublingDelays = ["0.05s", "0.1s", "0.2s", "0.4s", "0.8s", "1.6s"];
        Assert.Equal(doublingDelays[..failures.Count], failures.Select(l => l[(l.LastIndexOf(' ') + 1)..]));
    }

    private static JsonObject List(params JsonObject[] items) => new()
    {
        ["apiVersion"] = "monitoring.coreos.com/v1",
        ["kind"] = "List",
        ["metadata"] = new JsonObject { ["resourceVersion"] = "100" },
        ["items"] = new JsonArray([.. items.Select(i => (JsonNode)i.DeepClone())]),
    };

    private static JsonObject Versioned(JsonObject monitor, string resourceVersion)
    {
        var copy = monitor.DeepClone().AsObject();
        copy["metadata"]!["resourceVersion"] = resourceVersion;
        return copy;
    }

    private static JsonObject BrokenMonitor(string name, string resourceVersion) => Documents($$"""
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: { name: {{name}}, namespace: default, resourceVersion: "{{resourceVersion}}" }
        spec:
          selector: { matchLabels: { app: example-app } }
          endpoints: [ { port: 8080 } ]
        """).Single();

    /// <summary>A watcher against an in-process API server serving <c>lists</c>; other paths answer 404.</summary>
    private sealed class RunningWatcher : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;
        private readonly Lock _lock = new();
        private IReadOnlyList<ScrapeConfig> _jobs = [];
        private int _publications;

        public RunningWatcher(Dictionary<string, JsonObject> lists, KubernetesWatchSettings settings, string? labelSelector = null)
        {
            Server = new FakeKubeApiServer(lists);
            var watcher = new MonitorWatcher(new MonitorWatchConfig { ApiServer = new Uri(Server.Url), LabelSelector = labelSelector }, new GlobalConfig(),
                jobs =>
                {
                    lock (_lock)
                    {
                        _jobs = jobs;
                        _publications++;
                    }
                },
                Logs.Enqueue, settings);
            _run = watcher.RunAsync(_stop.Token);
        }

        public FakeKubeApiServer Server { get; }
        public ConcurrentQueue<string> Logs { get; } = new();

        /// <summary>How many times the watcher has called back.</summary>
        public int Publications
        {
            get
            {
                lock (_lock)
                {
                    return _publications;
                }
            }
        }

        public IReadOnlyList<ScrapeConfig> Jobs
        {
            get
            {
                lock (_lock)
                {
                    return _jobs;
                }
            }
        }

        public Task WaitForJobsAsync(params string[] jobNames) => Eventually.WaitUntilAsync(
            () => Jobs.Select(j => j.JobName).SequenceEqual(jobNames),
            describe: () => $"jobs [{string.Join(", ", Jobs.Select(j => j.JobName))}], expected [{string.Join(", ", jobNames)}]; log: {string.Join(" | ", Logs)}");

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run;
            await Server.DisposeAsync();
            _stop.Dispose();
        }
    }
}
