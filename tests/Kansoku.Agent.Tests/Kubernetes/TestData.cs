using System.Text.Json.Nodes;

namespace Kansoku.Agent.Tests.Kubernetes;

/// <summary>Recorded API objects in the source tree's testdata folder (read in place: the csproj does not copy them).</summary>
internal static class TestData
{
    private static readonly Lazy<string> s_directory = new(Locate);

    public static JsonObject Json(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(s_directory.Value, fileName)))!.AsObject();

    /// <summary>The item of a recorded list whose metadata.name is <paramref name="name"/>.</summary>
    public static JsonObject Item(string fileName, string name) =>
        Json(fileName)["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == name)!.AsObject();

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Kansoku.Agent.Tests", "Kubernetes", "testdata");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/Kansoku.Agent.Tests/Kubernetes/testdata not found above " + AppContext.BaseDirectory);
    }
}
