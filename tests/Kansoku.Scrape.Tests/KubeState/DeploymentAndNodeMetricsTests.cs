using Kansoku.Core.Labels;
using Kansoku.Scrape.KubeState;
using static Kansoku.Scrape.Tests.KubeState.KubeStateTestData;

namespace Kansoku.Scrape.Tests.KubeState;

public sealed class DeploymentAndNodeMetricsTests
{
    private readonly KubeStateCache _cache = CacheWithAllObjects();

    [Fact]
    public void Available_replicas_default_to_zero_and_spec_replicas_exist_only_when_set()
    {
        AssertSamples(_cache, "kube_deployment_status_replicas_available",
            Sample(Deployment("shop", "web"), 2), Sample(Deployment("shop", "checkout"), 0), Sample(Deployment("ops", "handmade"), 0));
        AssertSamples(_cache, "kube_deployment_spec_replicas",
            Sample(Deployment("shop", "web"), 3), Sample(Deployment("shop", "checkout"), 1));
    }

    [Fact]
    public void Node_conditions_have_one_series_per_status_with_one_for_the_current()
    {
        AssertSamples(_cache, "kube_node_status_condition",
            [
                .. Condition("node-a", "MemoryPressure", "false"),
                .. Condition("node-a", "DiskPressure", "false"),
                .. Condition("node-a", "PIDPressure", "false"),
                .. Condition("node-a", "Ready", "true"),
                .. Condition("node-b", "MemoryPressure", "unknown"),
                .. Condition("node-b", "Ready", "unknown"),
            ]);

        static KubeStateSample[] Condition(string node, string condition, string current) =>
            new[] { "true", "false", "unknown" }
                .Select(status => Sample(LabelSet.From(("node", node), ("condition", condition), ("status", status)), status == current ? 1 : 0))
                .ToArray();
    }

    [Fact]
    public void Node_info_takes_the_last_internal_ip_and_reports_kube_proxy_as_deprecated()
    {
        AssertSamples(_cache, "kube_node_info",
            Sample(LabelSet.From(
                ("node", "node-a"), ("kernel_version", "6.12.48+deb13-amd64"), ("os_image", "Debian GNU/Linux 13 (trixie)"),
                ("container_runtime_version", "containerd://2.1.4"), ("kubelet_version", "v1.34.2"), ("kubeproxy_version", "deprecated"),
                ("provider_id", "kind://docker/kind/node-a"), ("pod_cidr", "10.244.1.0/24"),
                ("system_uuid", "4c4c4544-004a-3010-804a-b4c04f4d3232"), ("internal_ip", "10.0.0.11")), 1),
            Sample(LabelSet.From(
                ("node", "node-b"), ("kernel_version", "6.12.48+deb13-arm64"), ("os_image", "Debian GNU/Linux 13 (trixie)"),
                ("container_runtime_version", "containerd://2.1.4"), ("kubelet_version", "v1.34.1"), ("kubeproxy_version", "deprecated"),
                ("pod_cidr", "10.244.2.0/24"), ("system_uuid", "9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0"), ("internal_ip", "fd00::12")), 1));
    }

    private static LabelSet Deployment(string ns, string name) => LabelSet.From(("namespace", ns), ("deployment", name));
}
