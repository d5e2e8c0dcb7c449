using Kansoku.Agent.Config;

namespace Kansoku.Agent.Kubernetes;

/// <summary>
/// The settings of Fluent Bit's <c>kubernetes</c> filter, plus Kansoku's own. Read once at startup.
/// </summary>
internal sealed record KubernetesFilterOptions
{
    public const string DefaultKubeUrl = "https://kubernetes.default.svc:443";
    public const string DefaultCaFile = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
    public const string DefaultTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /// <summary>Whether metadata comes from an API server, and how the agent authenticates to it.</summary>
    public KubernetesApiMode ApiMode { get; init; }

    /// <summary>The API server URL; for in-cluster mode without an explicit Kube_URL, built from KUBERNETES_SERVICE_HOST/PORT.</summary>
    public string KubeUrl { get; init; } = DefaultKubeUrl;
    public string CaFile { get; init; } = DefaultCaFile;
    public string TokenFile { get; init; } = DefaultTokenFile;
    /// <summary>Kansoku's <c>kubeconfig</c>: a kubeconfig file to use instead of in-cluster credentials.</summary>
    public string? KubeconfigPath { get; init; }
    public bool TlsVerify { get; init; } = true;

    public string TagPrefix { get; init; } = KubeletPathParser.DefaultTagPrefix;

    /// <summary>Merge_Log: parse <c>log</c> as JSON and put its keys in the record.</summary>
    public bool MergeLog { get; init; }
    /// <summary>Merge_Log_Key: nest the merged keys under this key instead of the top level.</summary>
    public string? MergeLogKey { get; init; }
    /// <summary>Keep_Log: keep <c>log</c> after a successful merge.</summary>
    public bool KeepLog { get; init; } = true;

    public bool IncludeLabels { get; init; } = true;
    public bool IncludeAnnotations { get; init; } = true;

    /// <summary>K8S-Logging.Parser: let a pod pick its parser by annotation.</summary>
    public bool AllowParserAnnotation { get; init; }
    /// <summary>K8S-Logging.Exclude: let a pod exclude its logs by annotation.</summary>
    public bool AllowExcludeAnnotation { get; init; }

    /// <summary>Kansoku's <c>node_name</c>: pods are watched on this node only. Default: env NODE_NAME, else the host name.</summary>
    public string? NodeName { get; init; }
    /// <summary>True when the node name came from configuration or NODE_NAME, not a host-name guess.</summary>
    public bool NodeNameExplicit { get; init; }

    /// <summary>Kansoku's <c>deleted_pod_grace</c>: how long a deleted pod's metadata stays for late-read logs.</summary>
    public TimeSpan DeletedPodGrace { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Kansoku's <c>initial_sync_timeout</c>: how long the agent waits for the first pod list before reading.</summary>
    public TimeSpan InitialSyncTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public SourceLocation Location { get; init; }

    /// <summary>Options for when there is no kubernetes filter: identities from paths only.</summary>
    public static KubernetesFilterOptions PathOnly() => new() { ApiMode = KubernetesApiMode.PathOnly };

    public static KubernetesFilterOptions From(ComponentSpec spec) => From(spec, Environment.GetEnvironmentVariable);

    /// <summary>Reads the filter's keys; <paramref name="getEnv"/> stands in for the environment in tests.</summary>
    public static KubernetesFilterOptions From(ComponentSpec spec, Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(getEnv);

        var kubeUrl = spec.Get("Kube_URL");
        var tokenFile = spec.Get("Kube_Token_File");
        var caFile = spec.Get("Kube_CA_File");
        var kubeconfig = spec.Get("kubeconfig");
        var serviceHost = getEnv("KUBERNETES_SERVICE_HOST");

        KubernetesApiMode mode;
        if (!string.IsNullOrWhiteSpace(kubeconfig))
        {
            mode = KubernetesApiMode.Kubeconfig;
        }
        else if (!string.IsNullOrEmpty(serviceHost) || kubeUrl is not null || tokenFile is not null)
        {
            mode = KubernetesApiMode.InCluster;
        }
        else
        {
            mode = KubernetesApiMode.PathOnly;
        }

        if (kubeUrl is null && !string.IsNullOrEmpty(serviceHost))
        {
            // The service env vars avoid depending on cluster DNS, which a hostNetwork DaemonSet may not use.
            var port = getEnv("KUBERNETES_SERVICE_PORT");
            var host = serviceHost.Contains(':', StringComparison.Ordinal) ? $"[{serviceHost}]" : serviceHost;
            kubeUrl = $"https://{host}:{(string.IsNullOrEmpty(port) ? "443" : port)}";
        }
        if (kubeUrl is not null && !Uri.TryCreate(kubeUrl, UriKind.Absolute, out _))
        {
            throw new ConfigException(spec.Find("Kube_URL")?.Location ?? spec.Location, "Kube_URL", $"not a URL: '{kubeUrl}'");
        }

        var nodeName = spec.Get("node_name");
        var nodeNameExplicit = !string.IsNullOrWhiteSpace(nodeName);
        if (!nodeNameExplicit)
        {
            nodeName = getEnv("NODE_NAME");
            nodeNameExplicit = !string.IsNullOrWhiteSpace(nodeName);
            if (!nodeNameExplicit)
            {
                nodeName = Environment.MachineName;
            }
        }

        // Kube_Meta_Cache_TTL bounds how stale Fluent Bit's polled cache gets; the watch keeps this cache current, so
        // the key is read (no unknown-key warning) and has nothing to bound.
        spec.MarkUsed("Kube_Meta_Cache_TTL");
        // Use_Kubelet asks Fluent Bit to poll the kubelet instead of the API server; the watch has the same effect
        // (node-local pod list) without the kubelet's read-only port.
        spec.MarkUsed("Use_Kubelet");
        spec.MarkUsed("Kubelet_Port");
        spec.MarkUsed("Kubelet_Host");

        var mergeLogKey = spec.Get("Merge_Log_Key");
        return new KubernetesFilterOptions
        {
            ApiMode = mode,
            KubeUrl = kubeUrl ?? DefaultKubeUrl,
            CaFile = caFile ?? DefaultCaFile,
            TokenFile = tokenFile ?? DefaultTokenFile,
            KubeconfigPath = string.IsNullOrWhiteSpace(kubeconfig) ? null : kubeconfig,
            TlsVerify = spec.GetBool("tls.verify", true),
            TagPrefix = spec.Get("Kube_Tag_Prefix") ?? KubeletPathParser.DefaultTagPrefix,
            MergeLog = spec.GetBool("Merge_Log", false),
            MergeLogKey = string.IsNullOrWhiteSpace(mergeLogKey) ? null : mergeLogKey.Trim(),
            KeepLog = spec.GetBool("Keep_Log", true),
            IncludeLabels = spec.GetBool("Labels", true),
            IncludeAnnotations = spec.GetBool("Annotations", true),
            AllowParserAnnotation = spec.GetBool("K8S-Logging.Parser", false),
            AllowExcludeAnnotation = spec.GetBool("K8S-Logging.Exclude", false),
            NodeName = nodeName,
            NodeNameExplicit = nodeNameExplicit,
            DeletedPodGrace = spec.GetDuration("deleted_pod_grace", TimeSpan.FromMinutes(5)),
            InitialSyncTimeout = spec.GetDuration("initial_sync_timeout", TimeSpan.FromSeconds(10)),
            Location = spec.Location,
        };
    }
}
