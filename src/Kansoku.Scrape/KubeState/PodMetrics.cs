using k8s.Models;
using Kansoku.Core.Labels;

namespace Kansoku.Scrape.KubeState;

/// <summary>
/// The samples kube-state-metrics derives from one pod (internal/store/pod.go). Every sample carries namespace, pod and uid;
/// per-container samples add container. Empty label values (a pod not yet scheduled has no node) are absent, as Prometheus
/// stores them.
/// </summary>
internal static class PodMetrics
{
    // kube-state-metrics' order; the cache sorts samples anyway.
    private static readonly string[] s_phases = ["Pending", "Succeeded", "Failed", "Unknown", "Running"];

    public static void Generate(V1Pod pod, List<KubeStateObjectSample> samples)
    {
        var identity = new PodIdentity(pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "", pod.Metadata?.Uid ?? "");
        AddInfo(pod, identity, samples);
        AddPhase(pod.Status?.Phase, identity, samples);
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            AddResources(KubeStateDescriptors.PodContainerResourceLimits, container.Resources?.Limits, container.Name, pod, identity, samples);
            AddResources(KubeStateDescriptors.PodContainerResourceRequests, container.Resources?.Requests, container.Name, pod, identity, samples);
        }
        foreach (var status in pod.Status?.ContainerStatuses ?? [])
        {
            AddContainerStatus(status, identity, samples);
        }
    }

    private static void AddInfo(V1Pod pod, PodIdentity identity, List<KubeStateObjectSample> samples)
    {
        var controller = pod.Metadata?.OwnerReferences?.FirstOrDefault(owner => owner.Controller == true);
        var labels = identity.With(
            ("host_ip", pod.Status?.HostIP ?? ""),
            ("pod_ip", pod.Status?.PodIP ?? ""),
            ("node", pod.Spec?.NodeName ?? ""),
            ("created_by_kind", controller?.Kind ?? ""),
            ("created_by_name", controller?.Name ?? ""),
            ("priority_class", pod.Spec?.PriorityClassName ?? ""),
            ("host_network", (pod.Spec?.HostNetwork ?? false) ? "true" : "false"));
        samples.Add(new KubeStateObjectSample(KubeStateDescriptors.PodInfo, labels, 1));
    }

    // A pod whose phase is not yet set has no phase series at all, as in kube-state-metrics.
    private static void AddPhase(string? phase, PodIdentity identity, List<KubeStateObjectSample> samples)
    {
        if (string.IsNullOrEmpty(phase))
        {
            return;
        }
        foreach (var candidate in s_phases)
        {
            var value = string.Equals(candidate, phase, StringComparison.Ordinal) ? 1 : 0;
            samples.Add(new KubeStateObjectSample(KubeStateDescriptors.PodStatusPhase, identity.With(("phase", candidate)), value));
        }
    }

    private static void AddResources(
        KubeStateDescriptor family,
        IDictionary<string, ResourceQuantity>? resources,
        string container,
        V1Pod pod,
        PodIdentity identity,
        List<KubeStateObjectSample> samples)
    {
        if (resources is null)
        {
            return;
        }
        foreach (var (name, quantity) in resources)
        {
            if (ContainerResources.Measure(name, quantity) is not { } measurement)
            {
                continue;
            }
            var labels = identity.With(
                ("container", container),
                ("node", pod.Spec?.NodeName ?? ""),
                ("resource", measurement.Resource),
                ("unit", measurement.Unit));
            samples.Add(new KubeStateObjectSample(family, labels, measurement.Value));
        }
    }

    private static void AddContainerStatus(V1ContainerStatus status, PodIdentity identity, List<KubeStateObjectSample> samples)
    {
        var container = identity.With(("container", status.Name));
        samples.Add(new KubeStateObjectSample(KubeStateDescriptors.PodContainerStatusRestartsTotal, container, status.RestartCount));
        samples.Add(new KubeStateObjectSample(KubeStateDescriptors.PodContainerStatusReady, container, status.Ready ? 1 : 0));
        samples.Add(new KubeStateObjectSample(KubeStateDescriptors.PodContainerStatusRunning, container, status.State?.Running is null ? 0 : 1));
        samples.Add(new KubeStateObjectSample(KubeStateDescriptors.PodContainerStatusWaiting, container, status.State?.Waiting is null ? 0 : 1));
        samples.Add(new KubeStateObjectSample(
            KubeStateDescriptors.PodContainerStatusTerminated, container, status.State?.Terminated is null ? 0 : 1));
        if (status.State?.Waiting is { } waiting)
        {
            samples.Add(new KubeStateObjectSample(
                KubeStateDescriptors.PodContainerStatusWaitingReason, container.With("reason", waiting.Reason ?? ""), 1));
        }
        if (status.LastState?.Terminated is { } lastTermination)
        {
            samples.Add(new KubeStateObjectSample(
                KubeStateDescriptors.PodContainerStatusLastTerminatedReason, container.With("reason", lastTermination.Reason ?? ""), 1));
        }
    }

    private readonly record struct PodIdentity(string Namespace, string Pod, string Uid)
    {
        public LabelSet With(params ReadOnlySpan<(string Name, string Value)> labels)
        {
            var all = new List<Label>(labels.Length + 3) { new("namespace", Namespace), new("pod", Pod), new("uid", Uid) };
            foreach (var (name, value) in labels)
            {
                all.Add(new Label(name, value));
            }
            return LabelSet.From(all);
        }
    }
}
