using k8s;
using Kansoku.Scrape.Config;

namespace Kansoku.Scrape.Cluster;

/// <summary>
/// How <c>kansoku server --kubernetes</c> reaches the cluster it monitors: the API server (the pod's service account, or
/// a kubeconfig when run outside the cluster) for discovery and watches, and the credentials sent to every kubelet.
/// </summary>
/// <param name="KubeconfigFile">Null: the in-cluster service account.</param>
/// <param name="Kubelet">
/// How the kubelet jobs authenticate. Kubelets serve certificates signed by themselves unless the cluster rotates
/// serving certificates through its CA, so the server's certificate is not checked, as kube-prometheus and most
/// metrics-server installations do; the bearer token still proves who is asking.
/// </param>
internal sealed record ClusterAccess(string? KubeconfigFile, HttpClientConfig Kubelet)
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    private static readonly TlsConfig s_kubeletTls = new() { InsecureSkipVerify = true };

    /// <summary>The pod's service account; its token file is read at every scrape, so a rotated token is used.</summary>
    public static ClusterAccess InCluster() => new(null, new HttpClientConfig
    {
        Authorization = new AuthorizationConfig("Bearer", null, Path.Combine(ServiceAccountDirectory, "token")),
        Tls = s_kubeletTls,
    });

    /// <summary>The kubeconfig's current context; its user's token (if it has one) is also what the kubelets are sent.</summary>
    public static ClusterAccess FromKubeconfig(string file)
    {
        var path = Path.GetFullPath(file);
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        var authorization = string.IsNullOrEmpty(configuration.AccessToken) ? null : new AuthorizationConfig("Bearer", configuration.AccessToken, null);
        return new ClusterAccess(path, new HttpClientConfig { Authorization = authorization, Tls = s_kubeletTls });
    }

    /// <summary>A written kubernetes_sd_configs entry pointed at this cluster.</summary>
    public KubernetesSdConfig Discovery(KubernetesSdConfig written) => written with { KubeconfigFile = KubeconfigFile };
}
