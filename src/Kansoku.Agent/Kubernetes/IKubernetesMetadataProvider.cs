namespace Kansoku.Agent.Kubernetes;

/// <summary>
/// Looks up a container's metadata from its log file path. Called once per opened file and again when the
/// provider reports a change, never per record: implementations may block briefly but must not do I/O per call
/// once warmed (the API server is watched, not polled).
/// </summary>
internal interface IKubernetesMetadataProvider
{
    /// <summary>Returns null when the path names no container (not a kubelet log path).</summary>
    KubernetesMetadata? Lookup(string logFilePath);

    /// <summary>Increases whenever cached metadata changes, so callers can refresh what they hold.</summary>
    long Version { get; }
}
