using Kansoku.Agent.Kubernetes;
using Kansoku.Core.Labels;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// One container's directory in the kubelet's layout, <c>pods/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/</c>:
/// a file <c>N.log</c> per instance (N is the restart count), each with its rotated predecessors
/// (<c>N.log.&lt;YYYYMMDD-hhmmss&gt;</c>, compressed to <c>.gz</c> once older).
/// </summary>
internal sealed class ContainerLogFiles
{
    private readonly SortedDictionary<int, List<string>> _instances;

    private ContainerLogFiles(string directory, LabelSet labels, SortedDictionary<int, List<string>> instances)
    {
        Directory = directory;
        Labels = labels;
        _instances = instances;
    }

    public string Directory { get; }

    /// <summary><c>namespace</c>, <c>pod</c> and <c>container</c>.</summary>
    public LabelSet Labels { get; }

    /// <summary>The restart count of the running (or last) instance.</summary>
    public int Current => _instances.Keys.Last();

    /// <summary>The instance before <see cref="Current"/>: the highest restart count below it, or null.</summary>
    public int? Previous => _instances.Count > 1 ? _instances.Keys.Reverse().ElementAt(1) : null;

    /// <summary>Reads the directory; null when it holds no log file in the kubelet's naming.</summary>
    public static ContainerLogFiles? Read(string directory)
    {
        var instances = new SortedDictionary<int, List<string>>();
        KubernetesMetadata? identity = null;
        try
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(directory))
            {
                if (path.EndsWith(".tmp", StringComparison.Ordinal) || KubeletPathParser.Parse(path) is not { } metadata)
                {
                    continue;
                }
                identity ??= metadata;
                if (!instances.TryGetValue(metadata.RestartCount, out var files))
                {
                    instances[metadata.RestartCount] = files = [];
                }
                files.Add(path);
            }
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        if (identity is null)
        {
            return null;
        }
        var labels = LabelSet.From(("namespace", identity.NamespaceName), ("pod", identity.PodName), ("container", identity.ContainerName));
        return new ContainerLogFiles(directory, labels, instances);
    }

    /// <summary>The files of instance <paramref name="restart"/>, oldest first: rotated ones by their stamp, then <c>N.log</c>.</summary>
    public List<string> FilesOf(int restart)
    {
        var live = Path.Combine(Directory, restart.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".log");
        var rotated = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in _instances[restart])
        {
            if (string.Equals(path, live, StringComparison.Ordinal))
            {
                continue;
            }
            var stamp = Path.GetFileName(path)[(Path.GetFileName(live).Length + 1)..];
            var compressed = stamp.EndsWith(".gz", StringComparison.Ordinal);
            if (compressed)
            {
                stamp = stamp[..^3];
            }
            // The kubelet compresses a copy, then deletes the original: while both exist they hold the same lines.
            if (!compressed || !rotated.ContainsKey(stamp))
            {
                rotated[stamp] = path;
            }
        }
        var files = rotated.Values.ToList();
        if (_instances[restart].Contains(live, StringComparer.Ordinal))
        {
            files.Add(live);
        }
        return files;
    }
}
