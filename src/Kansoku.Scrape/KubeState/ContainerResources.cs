using k8s.Models;

namespace Kansoku.Scrape.KubeState;

/// <summary>One entry of a container's limits or requests as kube-state-metrics labels and measures it.</summary>
internal readonly record struct ResourceMeasurement(string Resource, string Unit, double Value);

/// <summary>
/// Which container resources kube-state-metrics reports and in which unit (internal/store/pod.go, utils.go): cpu in cores;
/// memory, storage, ephemeral-storage, hugepages-* and attachable-volumes-* in bytes; extended resources such as
/// <c>nvidia.com/gpu</c> as integers; other native resources (e.g. <c>pods</c>, <c>kubernetes.io/*</c>) not at all.
/// </summary>
internal static class ContainerResources
{
    public const string UnitCore = "core";
    public const string UnitByte = "byte";
    public const string UnitInteger = "integer";

    private const string HugePagesPrefix = "hugepages-";
    private const string AttachableVolumesPrefix = "attachable-volumes-";
    private const string DefaultNamespacePrefix = "kubernetes.io/";
    private const string RequestsPrefix = "requests.";
    private const int MaxQualifiedNameLength = 63;
    private const int MaxSubdomainLength = 253;

    /// <summary>The measurement kube-state-metrics reports for <paramref name="name"/>, or null when it reports none.</summary>
    public static ResourceMeasurement? Measure(string name, ResourceQuantity quantity)
    {
        var unit = UnitOf(name);
        if (unit is null)
        {
            return null;
        }
        var value = ReferenceEquals(unit, UnitCore) ? KubeQuantity.Cores(quantity) : KubeQuantity.Value(quantity);
        return new ResourceMeasurement(SanitizeLabelName(name), unit, value);
    }

    private static string? UnitOf(string name)
    {
        switch (name)
        {
            case "cpu":
                return UnitCore;
            case "memory" or "storage" or "ephemeral-storage":
                return UnitByte;
        }
        if (name.StartsWith(HugePagesPrefix, StringComparison.Ordinal) || name.StartsWith(AttachableVolumesPrefix, StringComparison.Ordinal))
        {
            return UnitByte;
        }
        return IsExtendedResourceName(name) ? UnitInteger : null;
    }

    // apimachinery's IsExtendedResourceName: a domain-prefixed name outside kubernetes.io that stays a valid qualified name
    // once quota's "requests." prefix is put in front of it.
    private static bool IsExtendedResourceName(string name)
    {
        var isNative = !name.Contains('/', StringComparison.Ordinal) || name.Contains(DefaultNamespacePrefix, StringComparison.Ordinal);
        if (isNative || name.StartsWith(RequestsPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        return IsQualifiedName(RequestsPrefix + name);
    }

    // apimachinery's validation.IsQualifiedName: an optional DNS-1123 subdomain prefix and '/', then 1 to 63 characters of
    // [A-Za-z0-9_.-] that start and end with an alphanumeric.
    private static bool IsQualifiedName(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var name = value.AsSpan(slash + 1);
        if (slash >= 0 && (name.Contains('/') || !IsDnsSubdomain(value.AsSpan(0, slash))))
        {
            return false;
        }
        if (name.IsEmpty || name.Length > MaxQualifiedNameLength || !char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    // DNS-1123 subdomain: at most 253 characters; dot-separated labels of lower-case alphanumerics and '-' that start and
    // end with an alphanumeric.
    private static bool IsDnsSubdomain(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxSubdomainLength)
        {
            return false;
        }
        foreach (var range in value.Split('.'))
        {
            var label = value[range];
            if (label.IsEmpty || !IsLowerAlphanumeric(label[0]) || !IsLowerAlphanumeric(label[^1]))
            {
                return false;
            }
            foreach (var c in label)
            {
                if (!IsLowerAlphanumeric(c) && c != '-')
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    // kube-state-metrics' SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes '_' (nvidia.com/gpu -> nvidia_com_gpu).
    private static string SanitizeLabelName(string name) =>
        string.Create(name.Length, name, static (destination, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                destination[i] = char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_';
            }
        });
}
