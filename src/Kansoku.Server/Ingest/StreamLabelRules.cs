using System.Text.Json;
using Kansoku.Core.Labels;

namespace Kansoku.Server.Ingest;

/// <summary>
/// Which fields of a JSON log record become stream labels. By default the names Kansoku uses everywhere (LogQL,
/// <c>kansoku logs -l</c>, the UI, the Loki API): <c>namespace</c>, <c>pod</c>, <c>container</c>, <c>app</c> (the pod's
/// <c>app</c> label, else <c>app.kubernetes.io/name</c>), <c>node</c>, <c>stream</c>, taken from Fluent Bit's Kubernetes
/// record shape. Everything else stays in the line as structured fields, so streams stay few.
/// </summary>
internal sealed class StreamLabelRules
{
    /// <summary>label name -> dotted path in the record (<c>kubernetes.namespace_name</c>); several paths are tried in order.</summary>
    private readonly List<(string Label, string[][] Paths)> _rules;

    public StreamLabelRules(IEnumerable<(string Label, string[] DottedPaths)> rules)
    {
        _rules = [];
        foreach (var (label, paths) in rules)
        {
            var split = new string[paths.Length][];
            for (var i = 0; i < paths.Length; i++)
            {
                split[i] = SplitPath(paths[i]);
            }
            _rules.Add((label, split));
        }
    }

    public static StreamLabelRules Default { get; } = new(
    [
        ("namespace", ["kubernetes.namespace_name"]),
        ("pod", ["kubernetes.pod_name"]),
        ("container", ["kubernetes.container_name"]),
        // The agent's es output replaces dots in label keys (app.kubernetes.io/name -> app_kubernetes_io/name); accept both.
        ("app", ["kubernetes.labels.app", "kubernetes.labels.app\\.kubernetes\\.io/name", "kubernetes.labels.app_kubernetes_io/name"]),
        ("node", ["kubernetes.host"]),
        ("stream", ["stream"]),
    ]);

    /// <summary>The labels of one record; <paramref name="extra"/> (such as the _bulk index prefix) is added.</summary>
    public LabelSet LabelsOf(JsonElement record, IEnumerable<Label> extra)
    {
        var labels = new List<Label>(_rules.Count + 2);
        foreach (var (label, paths) in _rules)
        {
            foreach (var path in paths)
            {
                if (TryGetString(record, path, out var value) && value.Length > 0)
                {
                    labels.Add(new Label(label, value));
                    break;
                }
            }
        }
        labels.AddRange(extra);
        return LabelSet.From(labels);
    }

    private static bool TryGetString(JsonElement element, string[] path, out string value)
    {
        value = "";
        foreach (var segment in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return false;
            }
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                value = element.GetString()!;
                return true;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                value = element.GetRawText();
                return true;
            default:
                return false;
        }
    }

    /// <summary>Splits <c>a.b\.c</c> into <c>a</c>, <c>b.c</c>: a backslash keeps a dot inside a key.</summary>
    private static string[] SplitPath(string dotted)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < dotted.Length; i++)
        {
            if (dotted[i] == '\\' && i + 1 < dotted.Length)
            {
                current.Append(dotted[++i]);
            }
            else if (dotted[i] == '.')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(dotted[i]);
            }
        }
        parts.Add(current.ToString());
        return [.. parts];
    }
}
