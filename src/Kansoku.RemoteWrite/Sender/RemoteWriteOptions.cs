using Kansoku.Core.Labels;

namespace Kansoku.RemoteWrite.Sender;

/// <summary>
/// One <c>remote_write</c> endpoint (Prometheus' config.RemoteWriteConfig, defaults as in Prometheus 2.42). The scrape
/// configuration's model maps onto this; <see cref="WriteRelabel"/> is its write_relabel_configs compiled to a function.
/// </summary>
internal sealed record RemoteWriteOptions
{
    public required Uri Url { get; init; }

    /// <summary>Names the queue in counters and errors; the URL when not given.</summary>
    public string? Name { get; init; }

    /// <summary>How long one request may take before it is abandoned and retried.</summary>
    public TimeSpan RemoteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sent with every request; the headers remote write itself sets cannot be replaced.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public BasicAuthCredentials? BasicAuth { get; init; }

    public string? BearerToken { get; init; }

    /// <summary>
    /// Builds the handler the client sends through: the configuration's tls_config (CA, client certificate, server_name,
    /// insecure_skip_verify), proxy and credentials, made by the code that builds scrape clients from the same
    /// http_client_config. Null: a plain handler that trusts the system's CAs.
    /// </summary>
    public Func<HttpMessageHandler>? CreateHttpHandler { get; init; }

    /// <summary>Labels added to every series that does not have them already (global external_labels).</summary>
    public LabelSet ExternalLabels { get; init; } = LabelSet.Empty;

    /// <summary>write_relabel_configs: the labels to send for a series (after external labels), or null to drop it.</summary>
    public Func<LabelSet, LabelSet?>? WriteRelabel { get; init; }

    /// <summary>Whether a 429 is retried like a 5xx (after Retry-After) instead of dropping the batch.</summary>
    public bool RetryOnRateLimit { get; init; } = true;

    public RemoteWriteQueueOptions Queue { get; init; } = new();

    public string DisplayName => Name ?? Url.ToString();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"remote_write url '{Url}': must be an absolute http or https URL");
        }
        if (BasicAuth is not null && BearerToken is not null)
        {
            throw new ArgumentException($"remote_write {DisplayName}: at most one of basic_auth and bearer_token");
        }
        if (RemoteTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"remote_write {DisplayName}: remote_timeout must be positive");
        }
        Queue.Validate(DisplayName);
    }
}

internal sealed record BasicAuthCredentials(string Username, string Password);

/// <summary>queue_config (Prometheus' config.QueueConfig and its 2.42 defaults).</summary>
internal sealed record RemoteWriteQueueOptions
{
    /// <summary>Samples each shard holds before new ones are dropped.</summary>
    public int Capacity { get; init; } = 2500;

    public int MinShards { get; init; } = 1;

    public int MaxShards { get; init; } = 200;

    public int MaxSamplesPerSend { get; init; } = 500;

    /// <summary>How long a shard waits for a batch to fill before sending what it has.</summary>
    public TimeSpan BatchSendDeadline { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(30);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long stopping waits for queued samples to be sent before it gives up on them.</summary>
    public TimeSpan FlushDeadline { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the number of shards is reconsidered (Prometheus' shardUpdateDuration).</summary>
    public TimeSpan ShardUpdateInterval { get; init; } = TimeSpan.FromSeconds(10);

    internal void Validate(string queue)
    {
        if (MinShards < 1 || MaxShards < MinShards)
        {
            throw new ArgumentException($"remote_write {queue}: need 1 <= min_shards <= max_shards, got {MinShards} and {MaxShards}");
        }
        if (Capacity < 1 || MaxSamplesPerSend < 1)
        {
            throw new ArgumentException($"remote_write {queue}: capacity and max_samples_per_send must be positive");
        }
        if (BatchSendDeadline <= TimeSpan.Zero || MinBackoff <= TimeSpan.Zero || MaxBackoff < MinBackoff || ShardUpdateInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"remote_write {queue}: batch_send_deadline and min_backoff must be positive and max_backoff at least min_backoff");
        }
    }
}
