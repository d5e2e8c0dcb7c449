using System.Text.Json.Nodes;
using Kansoku.Core.Labels;
using Kansoku.Kubernetes;
using Kansoku.Scrape.Cluster;
using Kansoku.Scrape.KubeState;
using Kansoku.Scrape.Tests.KubeState;
using Kansoku.Scrape.Tests.TextParse;
using Kansoku.Scrape.TextParse;
using Kansoku.Testing;
using Kansoku.Testing.Kubernetes;

namespace Kansoku.Scrape.Tests.Cluster;

/// <summary>The kube-state series from a watch of the in-process API server, served as a scrape target's body.</summary>
public sealed class KubeStateTargetTests
{
    private const string Pods = "/api/v1/pods";
    private const string Deployments = "/apis/apps/v1/deployments";
    private const string Nodes = "/api/v1/nodes";

    private static readonly string s_testdata = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Kansoku.Scrape.Tests", "KubeState", "testdata");

    private static readonly KubernetesWatchSettings s_fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        WatchTimeoutSeconds = 60,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    private static JsonObject Recorded(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(s_testdata, file)))!.AsObject();

    private static async Task<List<ParsedSample>> ScrapeAsync(KubeStateEndpoint endpoint)
    {
        using var http = new HttpClient(endpoint, disposeHandler: false);
        using var response = await http.GetAsync(new Uri("http://kube-state-metrics:80/metrics"));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = await response.Content.ReadAsByteArrayAsync();
        return ParserDriver.ReadAll(new PrometheusTextParser(body));
    }

    [Fact]
    public async Task The_watched_objects_are_served_and_follow_watch_events()
    {
        await using var server = new FakeKubeApiServer(new Dictionary<string, JsonObject>
        {
            [Pods] = Recorded("pods.json"),
            [Deployments] = Recorded("deployments.json"),
            [Nodes] = Recorded("nodes.json"),
        });
        using var directory = new TempDirectory();
        var errors = new List<string>();
        var watcher = new KubeStateWatcher(ClusterAccess.FromKubeconfig(Kubeconfig.Write(directory.Path, server.Url, "t")), new KubeStateCache(),
            errors.Add, s_fast);
        using var stop = new CancellationTokenSource();
        var run = watcher.RunAsync(stop.Token);
        using var endpoint = new KubeStateEndpoint(watcher.Cache);

        var expected = KubeStateTestData.CacheWithAllObjects().Families().Sum(f => f.Samples.Count);
        await Eventually.WaitUntilAsync(() => watcher.Cache.Families().Sum(f => f.Samples.Count) == expected);
        var samples = await ScrapeAsync(endpoint);
        Assert.Equal(expected, samples.Count);
        Assert.Contains(samples, s => s.Labels.Equals(LabelSet.From(("__name__", "kube_pod_status_phase"), ("namespace", "shop"),
            ("phase", "Running"), ("pod", "web-7d4b9c8f6-x2xkq"), ("uid", KubeStateTestData.WebUid))) && s.Value == 1);
        Assert.Contains(samples, s => s.Labels.Get("__name__") == "kube_deployment_status_replicas_available");
        Assert.Contains(samples, s => s.Labels.Get("__name__") == "kube_node_status_condition");

        var web = Recorded("pods.json")["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "web-7d4b9c8f6-x2xkq")!;
        server.Send(Pods, "DELETED", web);
        await Eventually.WaitUntilAsync(() => !watcher.Cache.Families().Any(f => f.Samples.Any(s => s.Labels.Get("pod") == "web-7d4b9c8f6-x2xkq")));
        Assert.DoesNotContain(await ScrapeAsync(endpoint), s => s.Labels.Get("pod") == "web-7d4b9c8f6-x2xkq");

        await stop.CancelAsync();
        await run;
        Assert.Empty(errors);
    }
}
