using System.Text.Json.Nodes;

namespace Kansoku.Testing.Kubernetes;

/// <summary>Recorded API objects (pods, namespaces, ReplicaSets) in the source tree's testdata folder, read in place.</summary>
public static class KubeTestData
{
    private static readonly string s_directory = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Kansoku.Testing", "Kubernetes", "testdata");

    public static JsonObject Json(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(s_directory, fileName)))!.AsObject();

    /// <summary>The item of a recorded list whose metadata.name is <paramref name="name"/>.</summary>
    public static JsonObject Item(string fileName, string name) =>
        Json(fileName)["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == name)!.AsObject();
}
