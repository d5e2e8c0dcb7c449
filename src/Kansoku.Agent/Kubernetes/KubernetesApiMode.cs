namespace Kansoku.Agent.Kubernetes;

internal enum KubernetesApiMode
{
    /// <summary>No API server: identities from log paths only.</summary>
    PathOnly,
    /// <summary>Service-account token and CA files, API URL from Kube_URL or the service env vars.</summary>
    InCluster,
    /// <summary>A kubeconfig file's current context.</summary>
    Kubeconfig,
}
