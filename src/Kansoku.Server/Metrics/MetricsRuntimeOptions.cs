using Kansoku.Scrape.Cluster;

namespace Kansoku.Server.Metrics;

/// <summary>How <c>kansoku server</c> keeps and collects metrics.</summary>
/// <param name="DataDirectory">The TSDB's folder (the server's data directory + <c>metrics</c>).</param>
/// <param name="ConfigFile">A Prometheus configuration (scrape_configs, remote_write); null: store and serve only.</param>
/// <param name="Retention">Prometheus' --storage.tsdb.retention.time; 15 days as Prometheus by default.</param>
/// <param name="RetentionBytes">Prometheus' --storage.tsdb.retention.size; 0 for no limit.</param>
/// <param name="Cluster">
/// Monitor this Kubernetes cluster: the built-in jobs, kube-state metrics, ServiceMonitors and PodMonitors; null: only
/// what the configuration names.
/// </param>
/// <param name="MonitorSelector">A label selector the ServiceMonitors and PodMonitors must match; null: all of them.</param>
internal sealed record MetricsRuntimeOptions(string DataDirectory, string? ConfigFile, TimeSpan Retention, long RetentionBytes,
    ClusterAccess? Cluster = null, string? MonitorSelector = null)
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(15);
}
