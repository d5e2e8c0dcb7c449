using System.Text.Json;
using k8s;
using k8s.Models;

namespace Kansoku.Scrape.Operator;

/// <summary>
/// Reads monitors from the API server's JSON: metadata through KubernetesJson (a built-in type), the spec through
/// <see cref="MonitorJsonContext"/>. Never throws for a bad object: it comes back with <see cref="MonitorResource.Error"/>.
/// </summary>
internal static class MonitorJson
{
    public static MonitorResource Read(JsonElement item, MonitorKind kind)
    {
        V1ObjectMeta metadata;
        try
        {
            metadata = item.TryGetProperty("metadata", out var meta) ? KubernetesJson.Deserialize<V1ObjectMeta>(meta) : new V1ObjectMeta();
        }
        catch (JsonException e)
        {
            return new MonitorResource(kind, new V1ObjectMeta(), null, $"metadata{FieldPath(e)}: {Reason(e)}");
        }
        catch (InvalidOperationException e)
        {
            return new MonitorResource(kind, new V1ObjectMeta(), null, $"metadata: {e.Message}");
        }
        if (!item.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            return new MonitorResource(kind, metadata, null, "spec: missing or not an object");
        }
        try
        {
            return new MonitorResource(kind, metadata, spec.Deserialize(MonitorJsonContext.Default.MonitorSpec), null);
        }
        catch (JsonException e)
        {
            return new MonitorResource(kind, metadata, null, $"spec{FieldPath(e)}: {Reason(e)}");
        }
    }

    public static MonitorResourceList ReadList(JsonDocument list, MonitorKind kind)
    {
        ArgumentNullException.ThrowIfNull(list);
        var root = list.RootElement;
        var metadata = root.TryGetProperty("metadata", out var meta) ? KubernetesJson.Deserialize<V1ListMeta>(meta) : new V1ListMeta();
        var items = new List<MonitorResource>();
        if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                items.Add(Read(item, kind));
            }
        }
        return new MonitorResourceList(metadata, items);
    }

    /// <summary>The JSON path below the element read (<c>$.endpoints[0].port</c> becomes <c>.endpoints[0].port</c>).</summary>
    private static string FieldPath(JsonException e) => e.Path is { Length: > 1 } path && path[0] == '$' ? path[1..] : "";

    /// <summary>The exception's message without the position STJ appends, which the field path already gives.</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var position = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return position < 0 ? message : message[..position];
    }
}
