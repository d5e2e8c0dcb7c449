using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.Discovery.Kubernetes;
using Kansoku.Scrape.Operator;
using Kansoku.Testing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kansoku.Scrape.Tests.Operator;

/// <summary>
/// Monitors from the operator's examples and the guide, read in place, and a recorded cluster (this folder's testdata)
/// whose endpoints and pods the generated jobs are run against, as kubernetes_sd would discover them.
/// </summary>
internal static class OperatorTestData
{
    public static readonly string ExamplesDirectory = RepositoryPaths.Shared("conformance", "k8s-crds", "examples");

    private static readonly string s_testdata = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Kansoku.Scrape.Tests", "Operator", "testdata");
    private static readonly List<V1Service> s_services = Recorded<V1ServiceList>("services.json").Items.ToList();
    private static readonly List<V1Endpoints> s_endpoints = Recorded<V1EndpointsList>("endpoints.json").Items.ToList();
    private static readonly List<V1Pod> s_pods = Recorded<V1PodList>("pods.json").Items.ToList();

    public static readonly MonitorWatchConfig Access = new() { ApiServer = new Uri("http://127.0.0.1:1") };

    /// <summary>
    /// An example file's monitor as the API server would hold it. Some examples leave out the namespace (kubectl then
    /// applies them to default) or even the name (the API server would refuse them): those get default and
    /// <c>scrapeclass-example</c>.
    /// </summary>
    public static JsonObject Example(string fileName) => AsStored(Documents(File.ReadAllText(Path.Combine(ExamplesDirectory, fileName))).Single());

    /// <summary>The ServiceMonitor of the guide's prometheus-operator.yaml.</summary>
    public static JsonObject SeedServiceMonitor() =>
        AsStored(Documents(File.ReadAllText(RepositoryPaths.SeedConfig("prometheus-operator.yaml"))).Single(d => (string?)d["kind"] == "ServiceMonitor"));

    /// <summary>Every YAML document of the text as JSON, with plain true/false and integers typed as YAML 1.2's core schema types them.</summary>
    public static List<JsonObject> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>()];
    }

    public static MonitorResource Read(JsonObject monitor)
    {
        var kind = (string?)monitor["kind"] == "PodMonitor" ? MonitorKind.PodMonitor : MonitorKind.ServiceMonitor;
        using var document = System.Text.Json.JsonDocument.Parse(monitor.ToJsonString());
        return MonitorJson.Read(document.RootElement, kind);
    }

    public static IReadOnlyList<ScrapeConfig> Generate(JsonObject monitor, List<string>? log = null) =>
        MonitorScrapeConfigs.Generate(Read(monitor), new GlobalConfig(), Access, m => (log ?? []).Add(m));

    /// <summary>What the job scrapes in the recorded cluster: its role's groups in its namespaces, through relabelling.</summary>
    public static List<ScrapeTarget> Targets(ScrapeConfig job)
    {
        var discovery = Assert.Single(job.KubernetesSdConfigs);
        bool Watched(V1ObjectMeta metadata) => discovery.Namespaces.Count == 0 || discovery.Namespaces.Contains(metadata.NamespaceProperty);
        var groups = discovery.Role switch
        {
            KubernetesRole.Endpoints => s_endpoints.Where(e => Watched(e.Metadata))
                .Select(e => KubernetesTargets.Endpoints(e, (ns, name) => Find(s_services, ns, name), (ns, name) => Find(s_pods, ns, name))),
            KubernetesRole.Pod => s_pods.Where(p => Watched(p.Metadata)).Select(p => KubernetesTargets.Pod(p)),
            _ => throw new InvalidOperationException($"monitors do not generate role {discovery.Role}"),
        };
        return [.. groups.SelectMany(g =>
        {
            var set = ScrapeTargetBuilder.Build(job, g);
            Assert.Empty(set.Errors);
            return set.Targets;
        })];
    }

    /// <summary>A target as <c>URL name=value,…</c>, labels in order, for comparisons that show every difference.</summary>
    public static string Describe(ScrapeTarget target)
    {
        var text = new StringBuilder().Append(target.Url).Append(' ');
        foreach (var label in target.Labels.AsSpan())
        {
            text.Append(label.Name).Append('=').Append(label.Value).Append(',');
        }
        return text.ToString(0, text.Length - 1);
    }

    public static List<string> DescribeAll(ScrapeConfig job) => [.. Targets(job).Select(Describe).Order(StringComparer.Ordinal)];

    private static T? Find<T>(List<T> items, string? ns, string? name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        items.FirstOrDefault(i => i.Metadata.NamespaceProperty == ns && i.Metadata.Name == name);

    private static JsonObject AsStored(JsonObject monitor)
    {
        var metadata = monitor["metadata"] as JsonObject ?? [];
        monitor["metadata"] = metadata;
        metadata["namespace"] ??= "default";
        metadata["name"] ??= "scrapeclass-example";
        metadata["resourceVersion"] ??= "1";
        return monitor;
    }

    private static TList Recorded<TList>(string fileName) => KubernetesJson.Deserialize<TList>(File.ReadAllText(Path.Combine(s_testdata, fileName)));

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "null" or "~" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when long.TryParse(scalar.Value, out var number) => JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
