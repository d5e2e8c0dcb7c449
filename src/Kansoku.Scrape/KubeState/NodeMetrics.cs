using k8s.Models;
using Kansoku.Core.Labels;

namespace Kansoku.Scrape.KubeState;

/// <summary>The samples kube-state-metrics derives from one node (internal/store/node.go), labelled node.</summary>
internal static class NodeMetrics
{
    // kube-state-metrics lower-cases the condition statuses True, False and Unknown into the status label.
    private static readonly (string Status, string Label)[] s_conditionStatuses = [("True", "true"), ("False", "false"), ("Unknown", "unknown")];

    public static void Generate(V1Node node, List<KubeStateObjectSample> samples)
    {
        var name = node.Metadata?.Name ?? "";
        AddInfo(node, name, samples);
        foreach (var condition in node.Status?.Conditions ?? [])
        {
            foreach (var (status, label) in s_conditionStatuses)
            {
                var labels = LabelSet.From(("node", name), ("condition", condition.Type), ("status", label));
                var value = string.Equals(condition.Status, status, StringComparison.Ordinal) ? 1 : 0;
                samples.Add(new KubeStateObjectSample(KubeStateDescriptors.NodeStatusCondition, labels, value));
            }
        }
    }

    private static void AddInfo(V1Node node, string name, List<KubeStateObjectSample> samples)
    {
        var info = node.Status?.NodeInfo;
        // The last InternalIP wins, as in kube-state-metrics.
        var internalIp = node.Status?.Addresses?.LastOrDefault(a => string.Equals(a.Type, "InternalIP", StringComparison.Ordinal))?.Address;
        var labels = LabelSet.From(
            ("node", name),
            ("kernel_version", info?.KernelVersion ?? ""),
            ("os_image", info?.OsImage ?? ""),
            ("container_runtime_version", info?.ContainerRuntimeVersion ?? ""),
            ("kubelet_version", info?.KubeletVersion ?? ""),
            // kube-state-metrics reports this constant since the kubelet stopped reporting kube-proxy's version.
            ("kubeproxy_version", "deprecated"),
            ("provider_id", node.Spec?.ProviderID ?? ""),
            ("pod_cidr", node.Spec?.PodCIDR ?? ""),
            ("system_uuid", info?.SystemUUID ?? ""),
            ("internal_ip", internalIp ?? ""));
        samples.Add(new KubeStateObjectSample(KubeStateDescriptors.NodeInfo, labels, 1));
    }
}
