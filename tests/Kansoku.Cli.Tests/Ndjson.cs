using System.Text.Json;

namespace Kansoku.Cli.Tests;

/// <summary>Reads the agent's NDJSON output (file or stdout) into JSON elements, failing on any line that is not an object.</summary>
internal static class Ndjson
{
    public static List<JsonElement> ReadFile(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : [];

    public static List<JsonElement> Parse(string text)
    {
        var records = new List<JsonElement>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            records.Add(document.RootElement.Clone());
        }
        return records;
    }

    /// <summary>Counts complete lines without parsing: for polling a file the agent is still appending to.</summary>
    public static int CountLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var count = 0;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return count;
    }

    public static string? Text(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
