using System.Text.Json;
using Kansoku.Core.Labels;

namespace Kansoku.Server.Endpoints;

/// <summary>Pieces of Loki's JSON shared by the query and metadata endpoints.</summary>
internal static class LokiJson
{
    /// <summary>A label set as an object, <c>{"app":"web","namespace":"shop"}</c>.</summary>
    public static void WriteLabels(Utf8JsonWriter writer, ReadOnlySpan<Label> labels)
    {
        writer.WriteStartObject();
        foreach (var label in labels)
        {
            writer.WriteString(label.Name, label.Value);
        }
        writer.WriteEndObject();
    }
}
