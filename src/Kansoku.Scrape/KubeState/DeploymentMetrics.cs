using k8s.Models;
using Kansoku.Core.Labels;

namespace Kansoku.Scrape.KubeState;

/// <summary>The samples kube-state-metrics derives from one deployment (internal/store/deployment.go), labelled namespace and deployment.</summary>
internal static class DeploymentMetrics
{
    public static void Generate(V1Deployment deployment, List<KubeStateObjectSample> samples)
    {
        var labels = LabelSet.From(("namespace", deployment.Metadata?.NamespaceProperty ?? ""), ("deployment", deployment.Metadata?.Name ?? ""));
        samples.Add(new KubeStateObjectSample(
            KubeStateDescriptors.DeploymentStatusReplicasAvailable, labels, deployment.Status?.AvailableReplicas ?? 0));
        // Unlike the status, an unset spec.replicas gives no series in kube-state-metrics (the API server defaults it to 1).
        if (deployment.Spec?.Replicas is { } replicas)
        {
            samples.Add(new KubeStateObjectSample(KubeStateDescriptors.DeploymentSpecReplicas, labels, replicas));
        }
    }
}
