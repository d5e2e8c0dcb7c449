using Kansoku.Scrape.Relabel;

namespace Kansoku.Scrape.Config;

/// <summary>One remote_write endpoint (Prometheus RemoteWriteConfig), protocol v1.</summary>
internal sealed record RemoteWriteConfig
{
    public static readonly TimeSpan DefaultRemoteTimeout = TimeSpan.FromSeconds(30);

    public required Uri Url { get; init; }
    public string Name { get; init; } = "";
    public TimeSpan RemoteTimeout { get; init; } = DefaultRemoteTimeout;
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<RelabelConfig> WriteRelabelConfigs { get; init; } = [];
    public QueueConfig Queue { get; init; } = new();
    /// <summary>Remote write defaults to HTTP/1.1, unlike scraping.</summary>
    public HttpClientConfig Http { get; init; } = HttpClientConfig.Default with { EnableHttp2 = false };
}

/// <summary>The sending queue of a remote_write endpoint, with Prometheus' defaults.</summary>
internal sealed record QueueConfig
{
    public int Capacity { get; init; } = 10_000;
    public int MaxShards { get; init; } = 50;
    public int MinShards { get; init; } = 1;
    public int MaxSamplesPerSend { get; init; } = 2_000;
    public TimeSpan BatchSendDeadline { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(30);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);
    public bool RetryOnHttp429 { get; init; }

    /// <summary>Prometheus' message for the first invalid value, or null.</summary>
    public string? Validate() =>
        MaxShards <= 0 ? "remote write queue max_shards must be positive"
        : MinShards <= 0 ? "remote write queue min_shards must be positive"
        : MinShards > MaxShards ? "remote write queue min_shards must not be greater than max_shards"
        : MaxSamplesPerSend <= 0 ? "remote write queue max_samples_per_send must be positive"
        : Capacity <= 0 ? "remote write queue capacity must be positive"
        : MaxBackoff < MinBackoff ? "remote write queue max_backoff must not be less than min_backoff"
        : null;
}
