using System.Text.Json;

namespace Kansoku.Tsdb.Blocks;

/// <summary>A block's meta.json: its id, time range [MinTime, MaxTime) and statistics (docs/format/tsdb.md).</summary>
internal sealed record BlockMeta(
    string Id, long MinTime, long MaxTime, long NumSamples, long NumSeries, long NumChunks, int Level, IReadOnlyList<string> Sources)
{
    public const string FileName = "meta.json";

    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("ulid", Id);
            json.WriteNumber("minTime", MinTime);
            json.WriteNumber("maxTime", MaxTime);
            json.WriteStartObject("stats");
            json.WriteNumber("numSamples", NumSamples);
            json.WriteNumber("numSeries", NumSeries);
            json.WriteNumber("numChunks", NumChunks);
            json.WriteEndObject();
            json.WriteStartObject("compaction");
            json.WriteNumber("level", Level);
            json.WriteStartArray("sources");
            foreach (var source in Sources)
            {
                json.WriteStringValue(source);
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteNumber("version", 1);
            json.WriteEndObject();
        }
        stream.Flush(flushToDisk: true);
    }

    public static BlockMeta Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var stats = root.GetProperty("stats");
        var compaction = root.GetProperty("compaction");
        var sources = new List<string>();
        foreach (var source in compaction.GetProperty("sources").EnumerateArray())
        {
            sources.Add(source.GetString() ?? "");
        }
        return new BlockMeta(
            root.GetProperty("ulid").GetString() ?? "",
            root.GetProperty("minTime").GetInt64(),
            root.GetProperty("maxTime").GetInt64(),
            stats.GetProperty("numSamples").GetInt64(),
            stats.GetProperty("numSeries").GetInt64(),
            stats.GetProperty("numChunks").GetInt64(),
            compaction.GetProperty("level").GetInt32(),
            sources);
    }
}
