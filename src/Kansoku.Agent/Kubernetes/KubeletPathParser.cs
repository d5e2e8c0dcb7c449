using System.Globalization;

namespace Kansoku.Agent.Kubernetes;

/// <summary>
/// Reads a container's identity from the paths the kubelet writes logs to. Runs once per opened file, so it works on
/// strings; it is exact rather than forgiving, because a wrong split attaches logs to the wrong pod.
/// </summary>
/// <remarks>
/// Pod names are DNS subdomains (may hold '-' and '.'), namespaces and container names are DNS labels: none of them
/// may hold '_', which is what makes the '_'-joined names splittable.
/// <list type="bullet">
/// <item><c>…/containers/&lt;pod&gt;_&lt;namespace&gt;_&lt;container&gt;-&lt;64 hex id&gt;.log</c> (the kubelet's symlink)</item>
/// <item><c>…/pods/&lt;namespace&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;restart&gt;.log</c>, also rotated
/// (<c>0.log.20241125-080000</c>, <c>0.log.20241125-080000.gz</c>)</item>
/// </list>
/// Only the directory names <c>containers</c> and <c>pods</c> are checked, not the full <c>/var/log</c> prefix, so a
/// host root mounted elsewhere (<c>/host/var/log/…</c>) works.
/// </remarks>
internal static class KubeletPathParser
{
    /// <summary>Fluent Bit's default Kube_Tag_Prefix.</summary>
    public const string DefaultTagPrefix = "kube.var.log.containers.";

    private const int ContainerIdLength = 64;
    private const string LogSuffix = ".log";

    /// <summary>Parses either path form without touching the file system; null when the path is neither.</summary>
    public static KubernetesMetadata? Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fileName = Path.GetFileName(path);
        var directory = Path.GetDirectoryName(path);
        if (directory is null)
        {
            return null;
        }
        if (string.Equals(Path.GetFileName(directory), "containers", StringComparison.Ordinal))
        {
            return ParseContainersFileName(fileName);
        }
        return ParsePodsPath(directory, fileName);
    }

    /// <summary>
    /// Like <see cref="Parse"/>, and when the path is a <c>containers/</c> symlink, follows it into <c>pods/</c> to add
    /// the pod UID and restart count the file name lacks. Never throws: an unreadable link leaves the name's identity.
    /// </summary>
    public static KubernetesMetadata? ParseResolvingLinks(string path)
    {
        var parsed = Parse(path);
        if (parsed is null || parsed.RestartCount >= 0)
        {
            return parsed;
        }
        var podsForm = FollowLinksToPodsPath(path);
        if (podsForm is null
            || !string.Equals(podsForm.NamespaceName, parsed.NamespaceName, StringComparison.Ordinal)
            || !string.Equals(podsForm.PodName, parsed.PodName, StringComparison.Ordinal)
            || !string.Equals(podsForm.ContainerName, parsed.ContainerName, StringComparison.Ordinal))
        {
            return parsed;
        }
        return parsed with { PodId = podsForm.PodId, RestartCount = podsForm.RestartCount };
    }

    /// <summary>
    /// Parses a Fluent Bit tag built from a <c>containers/</c> path: <c>kube.var.log.containers.&lt;file name&gt;</c>
    /// with the given prefix (Kube_Tag_Prefix). Null when the tag does not start with it or the rest is no such name.
    /// </summary>
    public static KubernetesMetadata? ParseTag(string tag, string tagPrefix)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(tagPrefix);
        return tag.StartsWith(tagPrefix, StringComparison.Ordinal) ? ParseContainersFileName(tag[tagPrefix.Length..]) : null;
    }

    /// <summary>The file name the kubelet gives a container's symlink; the inverse of the <c>containers/</c> parse.</summary>
    public static string ContainersFileName(string podName, string namespaceName, string containerName, string containerId) =>
        $"{podName}_{namespaceName}_{containerName}-{containerId}{LogSuffix}";

    public static bool IsContainerId(ReadOnlySpan<char> value)
    {
        if (value.Length != ContainerIdLength)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }
        return true;
    }

    private static KubernetesMetadata? ParseContainersFileName(string fileName)
    {
        // <pod>_<ns>_<container>-<id>.log: the id is fixed-width, so everything is cut from the right.
        if (!fileName.EndsWith(LogSuffix, StringComparison.Ordinal))
        {
            return null;
        }
        var stem = fileName.AsSpan(0, fileName.Length - LogSuffix.Length);
        if (stem.Length < ContainerIdLength + 1 + 5 || stem[^(ContainerIdLength + 1)] != '-')
        {
            return null;
        }
        var id = stem[^ContainerIdLength..];
        if (!IsContainerId(id))
        {
            return null;
        }
        var names = stem[..^(ContainerIdLength + 1)];
        var lastUnderscore = names.LastIndexOf('_');
        var firstUnderscore = names.IndexOf('_');
        if (firstUnderscore <= 0 || lastUnderscore == firstUnderscore || lastUnderscore == names.Length - 1)
        {
            return null;
        }
        var namespaceName = names[(firstUnderscore + 1)..lastUnderscore];
        if (namespaceName.IsEmpty || namespaceName.Contains('_'))
        {
            return null;
        }
        return new KubernetesMetadata
        {
            PodName = names[..firstUnderscore].ToString(),
            NamespaceName = namespaceName.ToString(),
            ContainerName = names[(lastUnderscore + 1)..].ToString(),
            DockerId = id.ToString(),
        };
    }

    private static KubernetesMetadata? ParsePodsPath(string containerDirectory, string fileName)
    {
        var restart = ParseRestartFileName(fileName);
        if (restart < 0)
        {
            return null;
        }
        var containerName = Path.GetFileName(containerDirectory);
        var podDirectory = Path.GetDirectoryName(containerDirectory);
        if (string.IsNullOrEmpty(containerName) || containerName.Contains('_', StringComparison.Ordinal) || podDirectory is null)
        {
            return null;
        }
        var podsDirectory = Path.GetDirectoryName(podDirectory);
        if (podsDirectory is null || !string.Equals(Path.GetFileName(podsDirectory), "pods", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = Path.GetFileName(podDirectory).Split('_');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            return null;
        }
        return new KubernetesMetadata
        {
            NamespaceName = parts[0],
            PodName = parts[1],
            PodId = parts[2],
            ContainerName = containerName,
            RestartCount = restart,
        };
    }

    /// <summary><c>N.log</c> or a rotated <c>N.log.&lt;suffix&gt;</c> -> N; -1 otherwise.</summary>
    private static int ParseRestartFileName(string fileName)
    {
        var dot = fileName.IndexOf(LogSuffix, StringComparison.Ordinal);
        if (dot <= 0)
        {
            return -1;
        }
        var afterLog = dot + LogSuffix.Length;
        if (afterLog != fileName.Length && fileName[afterLog] != '.')
        {
            return -1;
        }
        var digits = fileName.AsSpan(0, dot);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return -1;
            }
        }
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var restart) ? restart : -1;
    }

    private static KubernetesMetadata? FollowLinksToPodsPath(string path)
    {
        // containerd links straight into pods/; dockershim chains pods/ -> /var/lib/docker/…, so stop at the first hop
        // that parses, and give up after a few hops rather than trusting a loop-free file system.
        var current = path;
        for (var hop = 0; hop < 4; hop++)
        {
            FileSystemInfo? target;
            try
            {
                target = File.ResolveLinkTarget(current, returnFinalTarget: false);
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            if (target is null)
            {
                return null;
            }
            var targetPath = target.FullName;
            var directory = Path.GetDirectoryName(targetPath);
            if (directory is not null)
            {
                var parsed = ParsePodsPath(directory, Path.GetFileName(targetPath));
                if (parsed is not null)
                {
                    return parsed;
                }
            }
            current = targetPath;
        }
        return null;
    }
}
