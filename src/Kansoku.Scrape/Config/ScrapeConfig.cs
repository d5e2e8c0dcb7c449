using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.Relabel;

namespace Kansoku.Scrape.Config;

/// <summary>
/// One scrape job (Prometheus ScrapeConfig) after loading: interval, timeout and limits already defaulted from the
/// global section. Limits of 0 mean no limit.
/// </summary>
internal sealed record ScrapeConfig
{
    public const string DefaultMetricsPath = "/metrics";
    public const string DefaultScheme = "http";

    public required string JobName { get; init; }
    public required TimeSpan ScrapeInterval { get; init; }
    public required TimeSpan ScrapeTimeout { get; init; }
    public string MetricsPath { get; init; } = DefaultMetricsPath;
    public string Scheme { get; init; } = DefaultScheme;
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Params { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public bool HonorLabels { get; init; }
    public bool HonorTimestamps { get; init; } = true;
    public HttpClientConfig Http { get; init; } = HttpClientConfig.Default;
    public IReadOnlyList<TargetGroup> StaticConfigs { get; init; } = [];
    public IReadOnlyList<FileSdConfig> FileSdConfigs { get; init; } = [];
    public IReadOnlyList<KubernetesSdConfig> KubernetesSdConfigs { get; init; } = [];
    public IReadOnlyList<RelabelConfig> RelabelConfigs { get; init; } = [];
    public IReadOnlyList<RelabelConfig> MetricRelabelConfigs { get; init; } = [];
    public ScrapeLimits Limits { get; init; } = new();
    /// <summary>Answers the job's scrapes inside this process (kube-state metrics) instead of over the network; not configurable.</summary>
    public HttpMessageHandler? InProcessEndpoint { get; init; }
}

/// <summary>Per-scrape limits; 0 means unlimited. A job's zero takes the global value.</summary>
internal sealed record ScrapeLimits
{
    public long SampleLimit { get; init; }
    public long TargetLimit { get; init; }
    public long LabelLimit { get; init; }
    public long LabelNameLengthLimit { get; init; }
    public long LabelValueLengthLimit { get; init; }
    /// <summary>Bytes of uncompressed body.</summary>
    public long BodySizeLimit { get; init; }

    /// <summary>Each zero field taken from <paramref name="fallback"/>.</summary>
    public ScrapeLimits Or(ScrapeLimits fallback) => new()
    {
        SampleLimit = SampleLimit != 0 ? SampleLimit : fallback.SampleLimit,
        TargetLimit = TargetLimit != 0 ? TargetLimit : fallback.TargetLimit,
        LabelLimit = LabelLimit != 0 ? LabelLimit : fallback.LabelLimit,
        LabelNameLengthLimit = LabelNameLengthLimit != 0 ? LabelNameLengthLimit : fallback.LabelNameLengthLimit,
        LabelValueLengthLimit = LabelValueLengthLimit != 0 ? LabelValueLengthLimit : fallback.LabelValueLengthLimit,
        BodySizeLimit = BodySizeLimit != 0 ? BodySizeLimit : fallback.BodySizeLimit,
    };
}
