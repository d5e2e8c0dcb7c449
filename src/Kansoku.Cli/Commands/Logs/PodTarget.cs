using Kansoku.Core.Labels;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// The positional argument of <c>kansoku logs</c> as a matcher on the <c>pod</c> label: a pod name (<c>web-0</c>,
/// <c>pod/web-0</c>), a workload whose pods are told by the names their controllers give them (<c>deployment/web</c>),
/// or, as stern takes it, a regex over pod names (<c>web-.*</c>).
/// </summary>
internal static class PodTarget
{
    public static LabelMatcher Parse(string target)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return NameMatchers.NameOrRegex("pod", target, "POD");
        }
        var kind = target[..slash].ToLowerInvariant();
        var name = target[(slash + 1)..];
        if (!NameMatchers.IsObjectName(name))
        {
            throw LogsException.Usage($"'{target}': '{name}' is not a Kubernetes object name");
        }
        var escaped = System.Text.RegularExpressions.Regex.Escape(name);
        return kind switch
        {
            "pod" or "pods" or "po" => LabelMatcher.Equal("pod", name),
            // <deployment>-<pod-template-hash>-<5 random>: the ReplicaSet's name, then the pod's suffix.
            "deployment" or "deployments" or "deploy" => NameMatchers.Regex("pod", escaped + "-[a-z0-9]+-[a-z0-9]+", target),
            // Ordinals: web-0, web-1, ...
            "statefulset" or "statefulsets" or "sts" => NameMatchers.Regex("pod", escaped + "-[0-9]+", target),
            // One random suffix for DaemonSets, ReplicaSets and Jobs.
            "daemonset" or "daemonsets" or "ds" or "replicaset" or "replicasets" or "rs" or "job" or "jobs"
                => NameMatchers.Regex("pod", escaped + "-[a-z0-9]+", target),
            _ => throw LogsException.Usage(
                $"'{target}': unknown kind '{target[..slash]}' (pod, deployment, statefulset, daemonset, replicaset or job)"),
        };
    }
}
