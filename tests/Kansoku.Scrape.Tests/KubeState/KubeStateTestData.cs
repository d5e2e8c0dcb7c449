using System.Globalization;
using k8s;
using k8s.Models;
using Kansoku.Core.Labels;
using Kansoku.Scrape.KubeState;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.KubeState;

/// <summary>The recorded objects in testdata/ and helpers to compare a cache's families with hand-computed samples.</summary>
internal static class KubeStateTestData
{
    public const string WebUid = "0b6a4f52-3c1e-4f0e-9b1f-6d2a7c9e1a01";
    public const string CheckoutUid = "c3f1e2d4-8b7a-4c6d-9e5f-0a1b2c3d4e02";
    public const string MigrateUid = "f0e1d2c3-b4a5-4968-8776-655443322103";
    public const string ApiUid = "7a6b5c4d-3e2f-4a1b-8c9d-e0f1a2b3c404";
    public const string FreshUid = "9c8b7a6d-5e4f-4321-9abc-def012345606";

    private static readonly string s_directory =
        Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Kansoku.Scrape.Tests", "KubeState", "testdata");

    public static IList<V1Pod> Pods() => Read<V1PodList>("pods.json").Items;

    public static IList<V1Deployment> Deployments() => Read<V1DeploymentList>("deployments.json").Items;

    public static IList<V1Node> Nodes() => Read<V1NodeList>("nodes.json").Items;

    public static V1Pod Pod(string name) => Pods().Single(p => p.Metadata.Name == name);

    public static KubeStateCache CacheWithAllObjects()
    {
        var cache = new KubeStateCache();
        cache.Replace(Pods());
        cache.Replace(Deployments());
        cache.Replace(Nodes());
        return cache;
    }

    public static LabelSet Web(params (string Name, string Value)[] extra) => PodLabels("shop", "web-7d4b9c8f6-x2xkq", WebUid, extra);

    public static LabelSet Checkout(params (string Name, string Value)[] extra) =>
        PodLabels("shop", "checkout-6c9f8d7b5-qp4tz", CheckoutUid, extra);

    public static LabelSet Migrate(params (string Name, string Value)[] extra) => PodLabels("ops", "migrate-28861440-7sk2p", MigrateUid, extra);

    public static LabelSet Api(params (string Name, string Value)[] extra) => PodLabels("shop", "api-0", ApiUid, extra);

    public static LabelSet Fresh(params (string Name, string Value)[] extra) => PodLabels("default", "fresh", FreshUid, extra);

    public static KubeStateSample Sample(LabelSet labels, double value) => new(labels, value);

    public static KubeStateFamily Family(KubeStateCache cache, string name) => cache.Families().Single(f => f.Name == name);

    /// <summary>Compares as sorted text lines so a failure shows which series differ.</summary>
    public static void AssertSamples(KubeStateCache cache, string family, params KubeStateSample[] expected) =>
        Assert.Equal(Lines(expected), Lines(Family(cache, family).Samples));

    private static string[] Lines(IEnumerable<KubeStateSample> samples) =>
        samples.Select(s => $"{s.Labels} {s.Value.ToString("R", CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal).ToArray();

    private static LabelSet PodLabels(string ns, string pod, string uid, (string Name, string Value)[] extra) =>
        LabelSet.From([("namespace", ns), ("pod", pod), ("uid", uid), .. extra]);

    private static T Read<T>(string fileName) => KubernetesJson.Deserialize<T>(File.ReadAllText(Path.Combine(s_directory, fileName)));
}
