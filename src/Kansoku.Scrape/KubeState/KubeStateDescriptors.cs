namespace Kansoku.Scrape.KubeState;

/// <summary>
/// The families Kansoku derives, with kube-state-metrics' names, HELP texts and types (internal/store/pod.go, deployment.go,
/// node.go): dashboards and alerts written for kube-state-metrics find the same series. kube-state-metrics prefixes the HELP of
/// its STABLE families with <c>[STABLE]</c>; the texts here carry that prefix so the exposition reads the same.
/// </summary>
internal static class KubeStateDescriptors
{
    public const string Gauge = "gauge";
    public const string Counter = "counter";

    public static KubeStateDescriptor DeploymentSpecReplicas { get; } = new(
        "kube_deployment_spec_replicas", "[STABLE] Number of desired pods for a deployment.", Gauge);

    public static KubeStateDescriptor DeploymentStatusReplicasAvailable { get; } = new(
        "kube_deployment_status_replicas_available", "[STABLE] The number of available replicas per deployment.", Gauge);

    public static KubeStateDescriptor NodeInfo { get; } = new(
        "kube_node_info", "[STABLE] Information about a cluster node.", Gauge);

    public static KubeStateDescriptor NodeStatusCondition { get; } = new(
        "kube_node_status_condition", "[STABLE] The condition of a cluster node.", Gauge);

    public static KubeStateDescriptor PodContainerResourceLimits { get; } = new(
        "kube_pod_container_resource_limits",
        "[STABLE] The number of requested limit resource by a container. It is recommended to use the kube_pod_resource_limits metric"
        + " exposed by kube-scheduler instead, as it is more precise.",
        Gauge);

    public static KubeStateDescriptor PodContainerResourceRequests { get; } = new(
        "kube_pod_container_resource_requests",
        "[STABLE] The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests"
        + " metric exposed by kube-scheduler instead, as it is more precise.",
        Gauge);

    public static KubeStateDescriptor PodContainerStatusLastTerminatedReason { get; } = new(
        "kube_pod_container_status_last_terminated_reason", "Describes the last reason the container was in terminated state.", Gauge);

    public static KubeStateDescriptor PodContainerStatusReady { get; } = new(
        "kube_pod_container_status_ready", "[STABLE] Describes whether the containers readiness check succeeded.", Gauge);

    public static KubeStateDescriptor PodContainerStatusRestartsTotal { get; } = new(
        "kube_pod_container_status_restarts_total", "[STABLE] The number of container restarts per container.", Counter);

    public static KubeStateDescriptor PodContainerStatusRunning { get; } = new(
        "kube_pod_container_status_running", "[STABLE] Describes whether the container is currently in running state.", Gauge);

    public static KubeStateDescriptor PodContainerStatusTerminated { get; } = new(
        "kube_pod_container_status_terminated", "[STABLE] Describes whether the container is currently in terminated state.", Gauge);

    public static KubeStateDescriptor PodContainerStatusWaiting { get; } = new(
        "kube_pod_container_status_waiting", "[STABLE] Describes whether the container is currently in waiting state.", Gauge);

    public static KubeStateDescriptor PodContainerStatusWaitingReason { get; } = new(
        "kube_pod_container_status_waiting_reason", "[STABLE] Describes the reason the container is currently in waiting state.", Gauge);

    public static KubeStateDescriptor PodInfo { get; } = new(
        "kube_pod_info", "[STABLE] Information about pod.", Gauge);

    public static KubeStateDescriptor PodStatusPhase { get; } = new(
        "kube_pod_status_phase", "[STABLE] The pods current phase.", Gauge);

    /// <summary>Every family, sorted by name: the order of <see cref="KubeStateCache.Families"/>.</summary>
    public static IReadOnlyList<KubeStateDescriptor> All { get; } =
    [
        DeploymentSpecReplicas,
        DeploymentStatusReplicasAvailable,
        NodeInfo,
        NodeStatusCondition,
        PodContainerResourceLimits,
        PodContainerResourceRequests,
        PodContainerStatusLastTerminatedReason,
        PodContainerStatusReady,
        PodContainerStatusRestartsTotal,
        PodContainerStatusRunning,
        PodContainerStatusTerminated,
        PodContainerStatusWaiting,
        PodContainerStatusWaitingReason,
        PodInfo,
        PodStatusPhase,
    ];
}
