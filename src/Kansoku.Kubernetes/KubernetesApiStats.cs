namespace Kansoku.Kubernetes;

/// <summary>Counters of the API connection, so failures show on /metrics and in status, not only in the log.</summary>
internal sealed class KubernetesApiStats
{
    private long _errors;
    private long _watchRestarts;
    private long _relists;
    private long _events;

    /// <summary>Failed list or watch requests, watch error events, and stalled watches.</summary>
    public long Errors => Volatile.Read(ref _errors);
    /// <summary>Watches that ended (normally or not) and were opened again.</summary>
    public long WatchRestarts => Volatile.Read(ref _watchRestarts);
    /// <summary>Full lists after a watch's resourceVersion expired (410 Gone).</summary>
    public long Relists => Volatile.Read(ref _relists);
    /// <summary>Watch events applied to the cache.</summary>
    public long Events => Volatile.Read(ref _events);

    public void AddError() => Interlocked.Increment(ref _errors);
    public void AddWatchRestart() => Interlocked.Increment(ref _watchRestarts);
    public void AddRelist() => Interlocked.Increment(ref _relists);
    public void AddEvent() => Interlocked.Increment(ref _events);
}
