namespace Kansoku.Kubernetes;

/// <summary>Timing of the API watches; tests shorten it.</summary>
internal sealed record KubernetesWatchSettings
{
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Server-side watch timeout (jittered up by a quarter), so watches are renewed and load spreads.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;
    /// <summary>Limit on a list request, and grace past the watch timeout before a silent watch counts as dead.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
