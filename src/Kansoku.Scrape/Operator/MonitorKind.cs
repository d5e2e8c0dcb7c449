namespace Kansoku.Scrape.Operator;

/// <summary>The two Prometheus Operator resources (monitoring.coreos.com/v1) that select targets to scrape.</summary>
internal enum MonitorKind
{
    /// <summary>Selects services; scraped through their endpoints.</summary>
    ServiceMonitor,
    /// <summary>Selects pods directly.</summary>
    PodMonitor,
}
