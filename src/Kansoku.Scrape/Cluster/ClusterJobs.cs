using Kansoku.Scrape.Config;

namespace Kansoku.Scrape.Cluster;

/// <summary>
/// The scrape jobs that make <c>kansoku server --kubernetes</c> monitor a cluster with no scrape configuration written:
/// pods and services annotated <c>prometheus.io/scrape</c>, every kubelet's <c>/metrics/cadvisor</c> and
/// <c>/metrics/resource</c>, and kube-state metrics. They are Prometheus configuration (cluster-jobs.yml, built in), so
/// they behave, show in the targets API and can be replaced exactly as jobs the user writes.
/// </summary>
internal static class ClusterJobs
{
    public const string KubeStateJob = "kube-state-metrics";
    private const string ResourceName = "Kansoku.Scrape.Cluster.cluster-jobs.yml";

    /// <param name="kubeState">Serves the kube-state-metrics job's scrapes inside the process.</param>
    public static IReadOnlyList<ScrapeConfig> Create(ClusterAccess access, GlobalConfig global, HttpMessageHandler kubeState)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(global);
        var written = PrometheusConfigLoader.Load(BuiltInYaml(), "cluster-jobs.yml (built in)", AppContext.BaseDirectory);
        var jobs = new List<ScrapeConfig>(written.ScrapeConfigs.Count);
        foreach (var job in written.ScrapeConfigs)
        {
            var discovery = new List<KubernetesSdConfig>(job.KubernetesSdConfigs.Count);
            var kubelet = false;
            foreach (var sd in job.KubernetesSdConfigs)
            {
                discovery.Add(access.Discovery(sd));
                kubelet |= sd.Role == KubernetesRole.Node;
            }
            jobs.Add(job with
            {
                ScrapeInterval = global.ScrapeInterval,
                ScrapeTimeout = global.ScrapeTimeout,
                Limits = global.Limits,
                KubernetesSdConfigs = discovery,
                Http = kubelet ? access.Kubelet : job.Http,
                InProcessEndpoint = job.JobName == KubeStateJob ? kubeState : null,
            });
        }
        return jobs;
    }

    /// <summary>The jobs as YAML, as /api/v1/status/config shows them.</summary>
    public static string BuiltInYaml()
    {
        using var stream = typeof(ClusterJobs).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(ClusterJobs).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
