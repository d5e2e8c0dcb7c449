using System.Globalization;
using k8s.Models;
using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Discovery.Kubernetes;

/// <summary>
/// The target groups of each role, label for label as Prometheus' discovery/kubernetes pod.go, service.go,
/// endpoints.go, endpointslice.go and node.go (attach_metadata and the deployment/job owner lookups aside).
/// Functions of the objects only, so the watch code and the tests share them.
/// </summary>
internal static class KubernetesTargets
{
    private const string Prefix = MetaLabels.Prefix;

    public static string PodSource(string? ns, string? name) => $"pod/{ns}/{name}";
    public static string ServiceSource(string? ns, string? name) => $"svc/{ns}/{name}";
    public static string EndpointsSource(string? ns, string? name) => $"endpoints/{ns}/{name}";
    public static string EndpointSliceSource(string? ns, string? name) => $"endpointslice/{ns}/{name}";
    public static string NodeSource(string? name) => $"node/{name}";

    /// <param name="nodes">With attach_metadata.node, the node cache: a pod whose node is not known yet has no targets, as in Prometheus.</param>
    public static TargetGroup Pod(V1Pod pod, Lookup<V1Node>? nodes = null)
    {
        var source = PodSource(pod.Metadata?.NamespaceProperty, pod.Metadata?.Name);
        var podIp = pod.Status?.PodIP;
        if (string.IsNullOrEmpty(podIp))
        {
            return TargetGroup.Empty(source);
        }
        V1Node? node = null;
        if (nodes is not null && (node = nodes(null, pod.Spec?.NodeName)) is null)
        {
            return TargetGroup.Empty(source);
        }
        var groupLabels = PodLabels(pod);
        groupLabels.Add(new Label(MetaLabels.Namespace, pod.Metadata?.NamespaceProperty ?? ""));
        MetaLabels.AddObjectMeta(groupLabels, node?.Metadata, "node");
        var targets = new List<LabelSet>();
        var containers = pod.Spec?.Containers ?? [];
        var initContainers = pod.Spec?.InitContainers ?? [];
        for (var i = 0; i < containers.Count + initContainers.Count; i++)
        {
            var isInit = i >= containers.Count;
            var container = isInit ? initContainers[i - containers.Count] : containers[i];
            var containerId = ContainerId(isInit ? pod.Status?.InitContainerStatuses : pod.Status?.ContainerStatuses, container.Name);
            var common = new List<Label>
            {
                new(Prefix + "pod_container_name", container.Name ?? ""),
                new(Prefix + "pod_container_id", containerId),
                new(Prefix + "pod_container_image", container.Image ?? ""),
                new(Prefix + "pod_container_init", MetaLabels.Bool(isInit)),
            };
            if (container.Ports is not { Count: > 0 } ports)
            {
                common.Add(new Label(TargetLabels.Address, podIp));
                targets.Add(LabelSet.From(common));
                continue;
            }
            foreach (var port in ports)
            {
                var labels = new List<Label>(common)
                {
                    new(TargetLabels.Address, MetaLabels.JoinHostPort(podIp, port.ContainerPort)),
                    new(Prefix + "pod_container_port_number", port.ContainerPort.ToString(CultureInfo.InvariantCulture)),
                    new(Prefix + "pod_container_port_name", port.Name ?? ""),
                    new(Prefix + "pod_container_port_protocol", port.Protocol ?? ""),
                };
                targets.Add(LabelSet.From(labels));
            }
        }
        return new TargetGroup(source, targets, LabelSet.From(groupLabels));
    }

    /// <summary>The pod's own labels (no namespace), shared with the endpoints roles.</summary>
    private static List<Label> PodLabels(V1Pod pod)
    {
        var labels = new List<Label>
        {
            new(Prefix + "pod_ip", pod.Status?.PodIP ?? ""),
            new(Prefix + "pod_ready", PodReady(pod)),
            new(Prefix + "pod_phase", pod.Status?.Phase ?? ""),
            new(Prefix + "pod_node_name", pod.Spec?.NodeName ?? ""),
            new(Prefix + "pod_host_ip", pod.Status?.HostIP ?? ""),
            new(Prefix + "pod_uid", pod.Metadata?.Uid ?? ""),
        };
        MetaLabels.AddObjectMeta(labels, pod.Metadata, "pod");
        if (MetaLabels.ControllerOf(pod.Metadata) is { } controller)
        {
            labels.Add(new Label(Prefix + "pod_controller_kind", controller.Kind ?? ""));
            labels.Add(new Label(Prefix + "pod_controller_name", controller.Name ?? ""));
        }
        return labels;
    }

    private static string PodReady(V1Pod pod)
    {
        foreach (var condition in pod.Status?.Conditions ?? [])
        {
            if (condition.Type == "Ready")
            {
                return (condition.Status ?? "").ToLowerInvariant();
            }
        }
        return "unknown";
    }

    private static string ContainerId(IList<V1ContainerStatus>? statuses, string? name)
    {
        foreach (var status in statuses ?? [])
        {
            if (status.Name == name)
            {
                return status.ContainerID ?? "";
            }
        }
        return "";
    }

    public static TargetGroup Service(V1Service service)
    {
        var metadata = service.Metadata;
        var targets = new List<LabelSet>();
        var type = service.Spec?.Type ?? "";
        foreach (var port in service.Spec?.Ports ?? [])
        {
            var labels = new List<Label>
            {
                new(TargetLabels.Address, MetaLabels.JoinHostPort($"{metadata?.Name}.{metadata?.NamespaceProperty}.svc", port.Port)),
                new(Prefix + "service_port_name", port.Name ?? ""),
                new(Prefix + "service_port_number", port.Port.ToString(CultureInfo.InvariantCulture)),
                new(Prefix + "service_port_protocol", port.Protocol ?? ""),
                new(Prefix + "service_type", type),
            };
            labels.Add(type == "ExternalName"
                ? new Label(Prefix + "service_external_name", service.Spec?.ExternalName ?? "")
                : new Label(Prefix + "service_cluster_ip", service.Spec?.ClusterIP ?? ""));
            if (type == "LoadBalancer")
            {
                labels.Add(new Label(Prefix + "service_loadbalancer_ip", LoadBalancerIps(service)));
            }
            targets.Add(LabelSet.From(labels));
        }
        return new TargetGroup(ServiceSource(metadata?.NamespaceProperty, metadata?.Name), targets, LabelSet.From(ServiceLabels(service)));
    }

    private static List<Label> ServiceLabels(V1Service service)
    {
        var labels = new List<Label> { new(MetaLabels.Namespace, service.Metadata?.NamespaceProperty ?? "") };
        MetaLabels.AddObjectMeta(labels, service.Metadata, "service");
        return labels;
    }

    private static string LoadBalancerIps(V1Service service)
    {
        var ips = new List<string>();
        foreach (var ingress in service.Status?.LoadBalancer?.Ingress ?? [])
        {
            if (!string.IsNullOrEmpty(ingress.Ip))
            {
                ips.Add(ingress.Ip);
            }
        }
        return ips.Count > 0 ? string.Join(',', ips) : service.Spec?.LoadBalancerIP ?? "";
    }

    public static TargetGroup Node(V1Node node)
    {
        var labels = new List<Label> { new(Prefix + "node_provider_id", node.Spec?.ProviderID ?? "") };
        foreach (var condition in node.Status?.Conditions ?? [])
        {
            labels.Add(new Label(Prefix + "node_condition_" + MetaLabels.Sanitize((condition.Type ?? "").ToLowerInvariant()),
                (condition.Status ?? "").ToLowerInvariant()));
        }
        MetaLabels.AddObjectMeta(labels, node.Metadata, "node");
        var source = NodeSource(node.Metadata?.Name);
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var address in node.Status?.Addresses ?? [])
        {
            addresses.TryAdd(address.Type ?? "", address.Address ?? "");
        }
        string? host = null;
        foreach (var type in (string[])["InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname"])
        {
            if (addresses.TryGetValue(type, out host))
            {
                break;
            }
        }
        if (host is null)
        {
            return TargetGroup.Empty(source);
        }
        var target = new List<Label>
        {
            new(TargetLabels.Address, MetaLabels.JoinHostPort(host, node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port ?? 0)),
            new(TargetLabels.Instance, node.Metadata?.Name ?? ""),
        };
        foreach (var (type, address) in addresses)
        {
            target.Add(new Label(MetaLabels.Sanitize(Prefix + "node_address_" + type), address));
        }
        return new TargetGroup(source, [LabelSet.From(target)], LabelSet.From(labels));
    }

    /// <summary>Looks up a pod or service by namespace and name in the discoverer's caches.</summary>
    internal delegate T? Lookup<T>(string? ns, string? name);

    public static TargetGroup Endpoints(V1Endpoints endpoints, Lookup<V1Service> services, Lookup<V1Pod> pods, Lookup<V1Node>? nodes = null)
    {
        var metadata = endpoints.Metadata;
        var groupLabels = new List<Label> { new(MetaLabels.Namespace, metadata?.NamespaceProperty ?? "") };
        if (services(metadata?.NamespaceProperty, metadata?.Name) is { } service)
        {
            groupLabels.AddRange(ServiceLabels(service));
        }
        MetaLabels.AddObjectMeta(groupLabels, metadata, "endpoints");
        var builder = new EndpointTargets(pods);
        foreach (var subset in endpoints.Subsets ?? [])
        {
            foreach (var port in subset.Ports ?? [])
            {
                foreach (var (addresses, ready) in ((IList<V1EndpointAddress>?, string)[])[(subset.Addresses, "true"), (subset.NotReadyAddresses, "false")])
                {
                    foreach (var address in addresses ?? [])
                    {
                        var labels = new List<Label>
                        {
                            new(TargetLabels.Address, MetaLabels.JoinHostPort(address.Ip ?? "", port.Port)),
                            new(Prefix + "endpoint_port_name", port.Name ?? ""),
                            new(Prefix + "endpoint_port_protocol", port.Protocol ?? ""),
                            new(Prefix + "endpoint_ready", ready),
                        };
                        if (address.TargetRef is { } reference)
                        {
                            labels.Add(new Label(Prefix + "endpoint_address_target_kind", reference.Kind ?? ""));
                            labels.Add(new Label(Prefix + "endpoint_address_target_name", reference.Name ?? ""));
                        }
                        if (address.NodeName is { } nodeName)
                        {
                            labels.Add(new Label(Prefix + "endpoint_node_name", nodeName));
                        }
                        if (!string.IsNullOrEmpty(address.Hostname))
                        {
                            labels.Add(new Label(Prefix + "endpoint_hostname", address.Hostname));
                        }
                        AddNodeLabels(labels, nodes, address.NodeName ?? (address.TargetRef is { Kind: "Node" } nodeRef ? nodeRef.Name : null));
                        builder.Add(labels, address.TargetRef, port.Port, port.Protocol);
                    }
                }
            }
        }
        return new TargetGroup(EndpointsSource(metadata?.NamespaceProperty, metadata?.Name), builder.Finish(), LabelSet.From(groupLabels));
    }

    public static TargetGroup EndpointSlice(V1EndpointSlice slice, Lookup<V1Service> services, Lookup<V1Pod> pods, Lookup<V1Node>? nodes = null)
    {
        var metadata = slice.Metadata;
        var source = EndpointSliceSource(metadata?.NamespaceProperty, metadata?.Name);
        var groupLabels = new List<Label>
        {
            new(MetaLabels.Namespace, metadata?.NamespaceProperty ?? ""),
            new(Prefix + "endpointslice_address_type", slice.AddressType ?? ""),
        };
        MetaLabels.AddObjectMeta(groupLabels, metadata, "endpointslice");
        V1Service? service = null;
        if (metadata?.Labels?.TryGetValue("kubernetes.io/service-name", out var serviceName) == true)
        {
            service = services(metadata.NamespaceProperty, serviceName);
            if (service is not null)
            {
                groupLabels.AddRange(ServiceLabels(service));
            }
        }
        if (IsNonPrimaryIpFamily(service, slice))
        {
            return new TargetGroup(source, [], LabelSet.From(groupLabels));
        }
        var builder = new EndpointTargets(pods);
        foreach (var endpoint in slice.Endpoints ?? [])
        {
            foreach (var port in slice.Ports ?? [])
            {
                foreach (var address in endpoint.Addresses ?? [])
                {
                    var labels = new List<Label>
                    {
                        new(TargetLabels.Address, port.Port is { } number ? MetaLabels.JoinHostPort(address, number) : address),
                    };
                    AddIfSet(labels, "endpointslice_port_name", port.Name);
                    AddIfSet(labels, "endpointslice_port_protocol", port.Protocol);
                    AddIfSet(labels, "endpointslice_port", port.Port?.ToString(CultureInfo.InvariantCulture));
                    AddIfSet(labels, "endpointslice_port_app_protocol", port.AppProtocol);
                    AddIfSet(labels, "endpointslice_endpoint_conditions_ready", Bool(endpoint.Conditions?.Ready));
                    AddIfSet(labels, "endpointslice_endpoint_conditions_serving", Bool(endpoint.Conditions?.Serving));
                    AddIfSet(labels, "endpointslice_endpoint_conditions_terminating", Bool(endpoint.Conditions?.Terminating));
                    AddIfSet(labels, "endpointslice_endpoint_hostname", endpoint.Hostname);
                    if (endpoint.TargetRef is { } reference)
                    {
                        labels.Add(new Label(Prefix + "endpointslice_address_target_kind", reference.Kind ?? ""));
                        labels.Add(new Label(Prefix + "endpointslice_address_target_name", reference.Name ?? ""));
                    }
                    AddIfSet(labels, "endpointslice_endpoint_node_name", endpoint.NodeName);
                    AddIfSet(labels, "endpointslice_endpoint_zone", endpoint.Zone);
                    foreach (var (key, value) in endpoint.DeprecatedTopology ?? new Dictionary<string, string>())
                    {
                        var name = MetaLabels.Sanitize(key);
                        labels.Add(new Label(Prefix + "endpointslice_endpoint_topology_" + name, value ?? ""));
                        labels.Add(new Label(Prefix + "endpointslice_endpoint_topology_present_" + name, "true"));
                    }
                    AddNodeLabels(labels, nodes, endpoint.TargetRef is { Kind: "Node" } nodeRef ? nodeRef.Name : endpoint.NodeName);
                    builder.Add(labels, endpoint.TargetRef, port.Port, protocol: null);
                }
            }
        }
        return new TargetGroup(source, builder.Finish(), LabelSet.From(groupLabels));
    }

    /// <summary>attach_metadata.node: the node's name, labels and annotations, when the node is known.</summary>
    private static void AddNodeLabels(List<Label> labels, Lookup<V1Node>? nodes, string? nodeName)
    {
        if (nodes is not null && nodeName is not null && nodes(null, nodeName) is { } node)
        {
            MetaLabels.AddObjectMeta(labels, node.Metadata, "node");
        }
    }

    private static void AddIfSet(List<Label> labels, string name, string? value)
    {
        if (value is not null)
        {
            labels.Add(new Label(Prefix + name, value));
        }
    }

    private static string? Bool(bool? value) => value is { } b ? MetaLabels.Bool(b) : null;

    /// <summary>Dual-stack services get a slice per IP family; Prometheus keeps only the primary family's targets.</summary>
    private static bool IsNonPrimaryIpFamily(V1Service? service, V1EndpointSlice slice) =>
        service?.Spec?.IpFamilyPolicy is "PreferDualStack" or "RequireDualStack"
        && service.Spec.IpFamilies is { Count: > 0 } families
        && slice.AddressType != families[0];

    /// <summary>
    /// Endpoint targets, with the pod's labels and container labels merged where the address is a pod, and one more
    /// target for each container port of such a pod that no endpoint port covers (Prometheus does the same so every
    /// container port can be scraped through the endpoints role). A matched container's protocol label is the endpoint
    /// port's for the endpoints role and the container port's (protocol null) for endpointslice, as in Prometheus.
    /// </summary>
    private sealed class EndpointTargets
    {
        private readonly Lookup<V1Pod> _pods;
        private readonly List<LabelSet> _targets = [];
        private readonly Dictionary<string, (V1Pod Pod, List<int> Ports)> _seenPods = new(StringComparer.Ordinal);
        private readonly List<string> _podOrder = [];

        public EndpointTargets(Lookup<V1Pod> pods)
        {
            _pods = pods;
        }

        public void Add(List<Label> labels, V1ObjectReference? reference, int? port, string? protocol)
        {
            var pod = reference is { Kind: "Pod" } ? _pods(reference.NamespaceProperty, reference.Name) : null;
            if (pod is null)
            {
                _targets.Add(LabelSet.From(labels));
                return;
            }
            var key = $"{pod.Metadata?.NamespaceProperty}/{pod.Metadata?.Name}";
            if (!_seenPods.TryGetValue(key, out var seen))
            {
                seen = (pod, []);
                _seenPods[key] = seen;
                _podOrder.Add(key);
            }
            labels.AddRange(PodLabels(pod));
            if (port is { } number)
            {
                foreach (var (container, isInit) in Containers(pod))
                {
                    if (container.Ports?.FirstOrDefault(p => p.ContainerPort == number) is { } containerPort)
                    {
                        labels.AddRange(ContainerLabels(container, containerPort, isInit, protocol));
                        break;
                    }
                }
                seen.Ports.Add(number);
            }
            _targets.Add(LabelSet.From(labels));
        }

        public List<LabelSet> Finish()
        {
            foreach (var key in _podOrder)
            {
                var (pod, ports) = _seenPods[key];
                var podIp = pod.Status?.PodIP;
                if (string.IsNullOrEmpty(podIp))
                {
                    continue;
                }
                foreach (var (container, isInit) in Containers(pod))
                {
                    foreach (var containerPort in container.Ports ?? [])
                    {
                        if (ports.Contains(containerPort.ContainerPort))
                        {
                            continue;
                        }
                        var labels = new List<Label> { new(TargetLabels.Address, MetaLabels.JoinHostPort(podIp, containerPort.ContainerPort)) };
                        labels.AddRange(ContainerLabels(container, containerPort, isInit, containerPort.Protocol));
                        labels.AddRange(PodLabels(pod));
                        _targets.Add(LabelSet.From(labels));
                    }
                }
            }
            return _targets;
        }

        private static IEnumerable<(V1Container Container, bool IsInit)> Containers(V1Pod pod)
        {
            foreach (var container in pod.Spec?.Containers ?? [])
            {
                yield return (container, false);
            }
            foreach (var container in pod.Spec?.InitContainers ?? [])
            {
                yield return (container, true);
            }
        }

        private static Label[] ContainerLabels(V1Container container, V1ContainerPort port, bool isInit, string? protocol) =>
        [
            new(Prefix + "pod_container_name", container.Name ?? ""),
            new(Prefix + "pod_container_image", container.Image ?? ""),
            new(Prefix + "pod_container_port_name", port.Name ?? ""),
            new(Prefix + "pod_container_port_number", port.ContainerPort.ToString(CultureInfo.InvariantCulture)),
            new(Prefix + "pod_container_port_protocol", protocol ?? port.Protocol ?? ""),
            new(Prefix + "pod_container_init", MetaLabels.Bool(isInit)),
        ];
    }
}
