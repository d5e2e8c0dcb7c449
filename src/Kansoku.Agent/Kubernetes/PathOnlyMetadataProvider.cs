namespace Kansoku.Agent.Kubernetes;

/// <summary>Metadata from log paths alone: namespace, pod, container, container id, and via the symlink pod UID and restart.</summary>
internal sealed class PathOnlyMetadataProvider : IKubernetesMetadataProvider
{
    private readonly string _host;

    /// <param name="host">The node name to report as <c>host</c>, or empty when unknown.</param>
    public PathOnlyMetadataProvider(string host = "")
    {
        _host = host;
    }

    public long Version => 0;

    public KubernetesMetadata? Lookup(string logFilePath)
    {
        var identity = KubeletPathParser.ParseResolvingLinks(logFilePath);
        return identity is null || _host.Length == 0 ? identity : identity with { Host = _host };
    }
}
