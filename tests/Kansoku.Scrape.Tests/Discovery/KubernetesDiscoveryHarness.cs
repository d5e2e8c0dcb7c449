using System.Text.Json.Nodes;
using System.Threading.Channels;
using Kansoku.Core.Labels;
using Kansoku.Kubernetes;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.Discovery.Kubernetes;
using Kansoku.Testing;
using Kansoku.Testing.Kubernetes;

namespace Kansoku.Scrape.Tests.Discovery;

/// <summary>A Kubernetes discoverer running against the in-process API server with this folder's recorded lists.</summary>
internal sealed class KubernetesDiscoveryHarness : IAsyncDisposable
{
    private static readonly string s_testdata = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Kansoku.Scrape.Tests", "Discovery", "testdata");

    private static readonly KubernetesWatchSettings s_fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        WatchTimeoutSeconds = 60,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>What the endpoints role watches in namespace shop, with this folder's recorded lists.</summary>
    public static readonly IReadOnlyDictionary<string, string> ShopEndpoints = new Dictionary<string, string>
    {
        ["/api/v1/namespaces/shop/endpoints"] = "endpoints.json",
        ["/api/v1/namespaces/shop/services"] = "services.json",
        ["/api/v1/namespaces/shop/pods"] = "pods.json",
    };

    private readonly Channel<IReadOnlyList<TargetGroup>> _updates = Channel.CreateUnbounded<IReadOnlyList<TargetGroup>>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    /// <param name="lists">API path to recorded file name.</param>
    public KubernetesDiscoveryHarness(KubernetesRole role, IReadOnlyDictionary<string, string> lists, params string[] namespaces)
        : this(lists, url => new KubernetesSdConfig { Role = role, ApiServer = new Uri(url), Namespaces = namespaces })
    {
    }

    /// <param name="configFor">The discovery configuration, given the server's URL.</param>
    public KubernetesDiscoveryHarness(IReadOnlyDictionary<string, string> lists, Func<string, KubernetesSdConfig> configFor, string? requiredToken = null)
    {
        Server = new FakeKubeApiServer(lists.ToDictionary(l => l.Key, l => Recorded(l.Value))) { RequiredToken = requiredToken };
        Discoverer = new KubernetesDiscoverer(configFor(Server.Url), Errors.Add, s_fast);
        _run = Discoverer.RunAsync(_updates.Writer, _stop.Token);
    }

    public FakeKubeApiServer Server { get; }
    public Task Run => _run;
    public KubernetesDiscoverer Discoverer { get; }
    /// <summary>Written by the discoverer's threads; read it after they are done or through a copy.</summary>
    public List<string> Errors { get; } = [];

    public static JsonObject Recorded(string fileName) => JsonNode.Parse(File.ReadAllText(Path.Combine(s_testdata, fileName)))!.AsObject();

    public static JsonObject Item(string fileName, string name) =>
        Recorded(fileName)["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == name)!.AsObject();

    /// <summary>The next batch of changed groups, by source.</summary>
    public async Task<Dictionary<string, TargetGroup>> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var groups = await _updates.Reader.ReadAsync(timeout.Token);
        return groups.ToDictionary(g => g.Source);
    }

    public static LabelSet Labels(params (string Name, string Value)[] labels) => LabelSet.From(labels);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
