using Kansoku.Scrape.Scraping;
using Kansoku.Scrape.TextParse;
using Kansoku.Server.Prometheus;
using ApiMetadata = Kansoku.Server.Prometheus.MetricMetadata;
using ApiTargetHealth = Kansoku.Server.Prometheus.TargetHealth;

namespace Kansoku.Server.Metrics;

/// <summary>The scrape manager's targets and cached metadata as <c>/api/v1/targets</c> and <c>/api/v1/metadata</c> show them.</summary>
internal sealed class ScrapeViews(ScrapeManager scrapes) : IScrapeTargetsView, IMetricMetadataView
{
    public IReadOnlyList<ActiveScrapeTarget> ActiveTargets()
    {
        var active = new List<ActiveScrapeTarget>();
        foreach (var pool in scrapes.Pools)
        {
            foreach (var target in pool.ActiveTargets)
            {
                var status = target.Status;
                active.Add(new ActiveScrapeTarget(
                    target.DiscoveredLabels.AsSpan().ToArray(),
                    target.Labels.AsSpan().ToArray(),
                    pool.Name,
                    target.Url.AbsoluteUri,
                    target.Url.AbsoluteUri,
                    status.LastError,
                    status.Health == Scrape.Scraping.TargetHealth.Unknown ? null : status.LastScrape,
                    status.LastScrapeDuration,
                    status.Health switch
                    {
                        Scrape.Scraping.TargetHealth.Up => ApiTargetHealth.Up,
                        Scrape.Scraping.TargetHealth.Down => ApiTargetHealth.Down,
                        _ => ApiTargetHealth.Unknown,
                    },
                    target.Settings.Interval,
                    target.Settings.Timeout));
            }
        }
        return active;
    }

    public IReadOnlyList<DroppedScrapeTarget> DroppedTargets()
    {
        var dropped = new List<DroppedScrapeTarget>();
        foreach (var pool in scrapes.Pools)
        {
            foreach (var labels in pool.DroppedTargets)
            {
                dropped.Add(new DroppedScrapeTarget(labels.AsSpan().ToArray(), pool.Name));
            }
        }
        return dropped;
    }

    public IReadOnlyList<ApiMetadata> Metadata(string? metric)
    {
        var found = new List<ApiMetadata>();
        foreach (var pool in scrapes.Pools)
        {
            foreach (var target in pool.ActiveTargets)
            {
                foreach (var family in target.Metadata)
                {
                    if (metric is null || family.MetricFamily == metric)
                    {
                        found.Add(new ApiMetadata(family.MetricFamily, TypeName(family.Type), family.Help, family.Unit));
                    }
                }
            }
        }
        return found;
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Histogram => "histogram",
        MetricType.GaugeHistogram => "gaugehistogram",
        MetricType.Summary => "summary",
        MetricType.Info => "info",
        MetricType.StateSet => "stateset",
        _ => "unknown",
    };
}
