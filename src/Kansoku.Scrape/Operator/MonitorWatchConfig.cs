using Kansoku.Scrape.Config;

namespace Kansoku.Scrape.Operator;

/// <summary>
/// Where the monitors come from, with the API access of kubernetes_sd_configs: the kubeconfig file, else the explicit
/// api_server with <see cref="Http"/>'s credentials and TLS, else the in-cluster service account. The generated jobs
/// discover their targets through the same access.
/// </summary>
internal sealed record MonitorWatchConfig
{
    public Uri? ApiServer { get; init; }
    public string? KubeconfigFile { get; init; }
    public HttpClientConfig Http { get; init; } = HttpClientConfig.Default;
    /// <summary>Only monitors with these labels (as the Prometheus resource's serviceMonitorSelector); null: all.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>A kubernetes_sd_configs entry with this access; <paramref name="namespaces"/> empty means all.</summary>
    public KubernetesSdConfig Discovery(KubernetesRole role, IReadOnlyList<string> namespaces, bool attachNodeMetadata) => new()
    {
        Role = role,
        ApiServer = ApiServer,
        KubeconfigFile = KubeconfigFile,
        Http = Http,
        Namespaces = namespaces,
        AttachNodeMetadata = attachNodeMetadata,
    };
}
