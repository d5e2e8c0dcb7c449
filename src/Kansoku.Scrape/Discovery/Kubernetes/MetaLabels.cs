using k8s.Models;
using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Discovery.Kubernetes;

/// <summary>
/// Builds <c>__meta_kubernetes_*</c> label lists as Prometheus' discovery/kubernetes does: object names, labels and
/// annotations (with their <c>…present_</c> twins), names sanitised to <c>[a-zA-Z0-9_]</c>.
/// </summary>
internal static class MetaLabels
{
    public const string Prefix = "__meta_kubernetes_";
    public const string Namespace = Prefix + "namespace";
    private const string Present = "true";

    /// <summary><c>_name</c>, <c>_label_*</c>, <c>_labelpresent_*</c>, <c>_annotation_*</c>, <c>_annotationpresent_*</c> for <paramref name="role"/>.</summary>
    public static void AddObjectMeta(List<Label> labels, V1ObjectMeta? metadata, string role)
    {
        if (metadata is null)
        {
            return;
        }
        labels.Add(new Label(Prefix + role + "_name", metadata.Name ?? ""));
        foreach (var (key, value) in metadata.Labels ?? new Dictionary<string, string>())
        {
            var name = Sanitize(key);
            labels.Add(new Label(Prefix + role + "_label_" + name, value ?? ""));
            labels.Add(new Label(Prefix + role + "_labelpresent_" + name, Present));
        }
        foreach (var (key, value) in metadata.Annotations ?? new Dictionary<string, string>())
        {
            var name = Sanitize(key);
            labels.Add(new Label(Prefix + role + "_annotation_" + name, value ?? ""));
            labels.Add(new Label(Prefix + role + "_annotationpresent_" + name, Present));
        }
    }

    /// <summary>Prometheus' strutil.SanitizeLabelName: every character outside <c>[a-zA-Z0-9_]</c> becomes '_'.</summary>
    public static string Sanitize(string name) => string.Create(name.Length, name, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_';
        }
    });

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Go's net.JoinHostPort: IPv6 hosts in brackets.</summary>
    public static string JoinHostPort(string host, long port) =>
        (host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host) + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The owner reference marked as controller, as Prometheus' GetControllerOf.</summary>
    public static V1OwnerReference? ControllerOf(V1ObjectMeta? metadata)
    {
        foreach (var owner in metadata?.OwnerReferences ?? [])
        {
            if (owner.Controller == true)
            {
                return owner;
            }
        }
        return null;
    }
}
