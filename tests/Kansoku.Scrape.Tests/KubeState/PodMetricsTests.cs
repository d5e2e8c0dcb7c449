using Kansoku.Core.Labels;
using Kansoku.Scrape.KubeState;
using static Kansoku.Scrape.Tests.KubeState.KubeStateTestData;

namespace Kansoku.Scrape.Tests.KubeState;

public sealed class PodMetricsTests
{
    private readonly KubeStateCache _cache = CacheWithAllObjects();

    [Fact]
    public void Status_phase_is_one_for_the_current_phase_and_zero_for_the_other_four_and_absent_while_unset()
    {
        AssertSamples(_cache, "kube_pod_status_phase",
            [.. Phases(Web, "Running"), .. Phases(Checkout, "Pending"), .. Phases(Migrate, "Failed"), .. Phases(Api, "Running")]);

        static KubeStateSample[] Phases(Func<(string, string)[], LabelSet> pod, string current) =>
            new[] { "Pending", "Succeeded", "Failed", "Unknown", "Running" }
                .Select(phase => Sample(pod([("phase", phase)]), phase == current ? 1 : 0)).ToArray();
    }

    [Fact]
    public void Restarts_are_a_counter_per_container_status()
    {
        Assert.Equal("counter", Family(_cache, "kube_pod_container_status_restarts_total").Type);
        AssertSamples(_cache, "kube_pod_container_status_restarts_total",
            Sample(Web(("container", "web")), 3),
            Sample(Web(("container", "proxy")), 0),
            Sample(Migrate(("container", "migrate")), 0),
            Sample(Api(("container", "api")), 12));
    }

    [Fact]
    public void Last_terminated_reason_names_the_reason_of_containers_that_terminated_before()
    {
        AssertSamples(_cache, "kube_pod_container_status_last_terminated_reason",
            Sample(Web(("container", "web"), ("reason", "OOMKilled")), 1),
            Sample(Api(("container", "api"), ("reason", "Error")), 1));
    }

    [Fact]
    public void Limits_are_in_cores_bytes_and_integers_with_the_resource_name_sanitized()
    {
        AssertSamples(_cache, "kube_pod_container_resource_limits",
            Sample(Web(("container", "web"), ("node", "node-a"), ("resource", "cpu"), ("unit", "core")), 0.5),
            Sample(Web(("container", "web"), ("node", "node-a"), ("resource", "memory"), ("unit", "byte")), 1073741824),
            Sample(Web(("container", "proxy"), ("node", "node-a"), ("resource", "cpu"), ("unit", "core")), 1.5),
            Sample(Web(("container", "proxy"), ("node", "node-a"), ("resource", "memory"), ("unit", "byte")), 128974848),
            Sample(Web(("container", "proxy"), ("node", "node-a"), ("resource", "ephemeral_storage"), ("unit", "byte")), 2e9),
            Sample(Web(("container", "proxy"), ("node", "node-a"), ("resource", "hugepages_2Mi"), ("unit", "byte")), 4194304),
            // Example.com/gpu has an invalid domain and kubernetes.io/batch is native: kube-state-metrics reports neither.
            Sample(Checkout(("container", "checkout"), ("resource", "nvidia_com_gpu"), ("unit", "integer")), 1),
            // A memory limit of 1.5 is 2 bytes: quantities round up to whole units.
            Sample(Migrate(("container", "migrate"), ("node", "node-b"), ("resource", "memory"), ("unit", "byte")), 2));
    }

    [Fact]
    public void Requests_leave_out_native_resources_other_than_cpu_memory_and_storage()
    {
        AssertSamples(_cache, "kube_pod_container_resource_requests",
            Sample(Web(("container", "web"), ("node", "node-a"), ("resource", "cpu"), ("unit", "core")), 0.25),
            Sample(Web(("container", "web"), ("node", "node-a"), ("resource", "memory"), ("unit", "byte")), 128974848),
            Sample(Web(("container", "proxy"), ("node", "node-a"), ("resource", "cpu"), ("unit", "core")), 0.1),
            Sample(Web(("container", "proxy"), ("node", "node-a"), ("resource", "memory"), ("unit", "byte")), 67108864),
            Sample(Checkout(("container", "checkout"), ("resource", "cpu"), ("unit", "core")), 2),
            Sample(Checkout(("container", "checkout"), ("resource", "memory"), ("unit", "byte")), 4294967296),
            Sample(Checkout(("container", "checkout"), ("resource", "nvidia_com_gpu"), ("unit", "integer")), 1),
            // 100u of cpu rounds up to one millicore.
            Sample(Migrate(("container", "migrate"), ("node", "node-b"), ("resource", "cpu"), ("unit", "core")), 0.001),
            Sample(Fresh(("container", "shell"), ("resource", "cpu"), ("unit", "core")), 0.1),
            Sample(Fresh(("container", "shell"), ("resource", "memory"), ("unit", "byte")), 512));
    }

    [Fact]
    public void Container_states_are_one_for_the_current_state()
    {
        AssertSamples(_cache, "kube_pod_container_status_running",
            Sample(Web(("container", "web")), 1), Sample(Web(("container", "proxy")), 1),
            Sample(Migrate(("container", "migrate")), 0), Sample(Api(("container", "api")), 0));
        AssertSamples(_cache, "kube_pod_container_status_waiting",
            Sample(Web(("container", "web")), 0), Sample(Web(("container", "proxy")), 0),
            Sample(Migrate(("container", "migrate")), 0), Sample(Api(("container", "api")), 1));
        AssertSamples(_cache, "kube_pod_container_status_terminated",
            Sample(Web(("container", "web")), 0), Sample(Web(("container", "proxy")), 0),
            Sample(Migrate(("container", "migrate")), 1), Sample(Api(("container", "api")), 0));
        AssertSamples(_cache, "kube_pod_container_status_waiting_reason",
            Sample(Api(("container", "api"), ("reason", "CrashLoopBackOff")), 1));
        AssertSamples(_cache, "kube_pod_container_status_ready",
            Sample(Web(("container", "web")), 1), Sample(Web(("container", "proxy")), 1),
            Sample(Migrate(("container", "migrate")), 0), Sample(Api(("container", "api")), 0));
    }

    [Fact]
    public void Info_names_the_node_addresses_and_controller_and_leaves_unset_values_out()
    {
        AssertSamples(_cache, "kube_pod_info",
            Sample(Web(("host_ip", "10.0.0.11"), ("pod_ip", "10.244.1.7"), ("node", "node-a"), ("created_by_kind", "ReplicaSet"),
                ("created_by_name", "web-7d4b9c8f6"), ("priority_class", "shop-critical"), ("host_network", "false")), 1),
            Sample(Checkout(("created_by_kind", "ReplicaSet"), ("created_by_name", "checkout-6c9f8d7b5"), ("host_network", "false")), 1),
            Sample(Migrate(("host_ip", "10.0.0.12"), ("pod_ip", "10.0.0.12"), ("node", "node-b"), ("created_by_kind", "Job"),
                ("created_by_name", "migrate-28861440"), ("host_network", "true")), 1),
            Sample(Api(("host_ip", "10.0.0.11"), ("pod_ip", "10.244.1.9"), ("node", "node-a"), ("created_by_kind", "StatefulSet"),
                ("created_by_name", "api"), ("host_network", "false")), 1),
            Sample(Fresh(("host_network", "false")), 1));
    }
}
