namespace Kansoku.Agent.Pipeline;

/// <summary>The file a record was read from. One instance per open file, shared by its records.</summary>
internal sealed class LogSource
{
    public LogSource(string path, string tag)
    {
        Path = path;
        Tag = tag;
    }

    /// <summary>The path as matched by the input's glob (for /var/log/containers, the symlink's path).</summary>
    public string Path { get; }

    /// <summary>The tag records from this file get, e.g. <c>kube.var.log.containers.pod_ns_c-id.log</c>.</summary>
    public string Tag { get; }
}
