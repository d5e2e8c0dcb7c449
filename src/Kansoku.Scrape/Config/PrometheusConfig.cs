using Kansoku.Core.Labels;
using YamlDotNet.RepresentationModel;

namespace Kansoku.Scrape.Config;

/// <summary>A loaded Prometheus configuration file (prometheus.yml); load with <see cref="PrometheusConfigLoader"/>.</summary>
internal sealed record PrometheusConfig
{
    public GlobalConfig Global { get; init; } = new();
    public IReadOnlyList<ScrapeConfig> ScrapeConfigs { get; init; } = [];
    public IReadOnlyList<RemoteWriteConfig> RemoteWrite { get; init; } = [];
    /// <summary>Rule file globs as written, resolved against the configuration file's folder.</summary>
    public IReadOnlyList<string> RuleFiles { get; init; } = [];
    /// <summary>The alerting section as YAML, for the notifier to read; null when absent.</summary>
    public YamlMappingNode? Alerting { get; init; }
}

internal sealed record GlobalConfig
{
    public static readonly TimeSpan DefaultScrapeInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultScrapeTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultEvaluationInterval = TimeSpan.FromMinutes(1);

    public TimeSpan ScrapeInterval { get; init; } = DefaultScrapeInterval;
    public TimeSpan ScrapeTimeout { get; init; } = DefaultScrapeTimeout;
    public TimeSpan EvaluationInterval { get; init; } = DefaultEvaluationInterval;
    public LabelSet ExternalLabels { get; init; } = LabelSet.Empty;
    public ScrapeLimits Limits { get; init; } = new();
}
