namespace Kansoku.Scrape.Config;

/// <summary>file_sd_configs entry: target files (globs allowed in the last path element), re-read every refresh interval and on change.</summary>
internal sealed record FileSdConfig(IReadOnlyList<string> Files, TimeSpan RefreshInterval)
{
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(5);
}

internal enum KubernetesRole
{
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    Node,
}

/// <summary>
/// kubernetes_sd_configs entry. Without <see cref="ApiServer"/> or <see cref="KubeconfigFile"/> the in-cluster
/// service account is used. <see cref="Namespaces"/> empty means all namespaces.
/// </summary>
internal sealed record KubernetesSdConfig
{
    public required KubernetesRole Role { get; init; }
    public Uri? ApiServer { get; init; }
    public string? KubeconfigFile { get; init; }
    public IReadOnlyList<string> Namespaces { get; init; } = [];
    public bool OwnNamespace { get; init; }
    /// <summary>attach_metadata.node: pod and endpoint targets also get their node's name, labels and annotations.</summary>
    public bool AttachNodeMetadata { get; init; }
    /// <summary>Per watched kind, the label and field selectors sent to the API server as written.</summary>
    public IReadOnlyDictionary<KubernetesRole, KubernetesSelector> Selectors { get; init; } = new Dictionary<KubernetesRole, KubernetesSelector>();
    public HttpClientConfig Http { get; init; } = HttpClientConfig.Default;
}

internal sealed record KubernetesSelector(string? Label, string? Field);
