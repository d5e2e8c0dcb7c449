namespace Kansoku.PromQL.Engine;

/// <summary>Settings of the engine (Prometheus' --query.* flags and engine options).</summary>
internal sealed record EngineOptions
{
    /// <summary>How far back an instant selector looks for a sample (--query.lookback-delta).</summary>
    public TimeSpan LookbackDelta { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The most samples a query may hold at once (--query.max-samples).</summary>
    public int MaxSamples { get; init; } = 50_000_000;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A subquery's step when it gives none (Prometheus: the global evaluation interval, 1m).</summary>
    public TimeSpan DefaultSubqueryStep { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Prometheus 2's closed windows <c>[t - range, t]</c> for lookback and ranges; off gives Prometheus 3's
    /// left-open <c>(t - range, t]</c>, which the conformance files assume.
    /// </summary>
    public bool ClosedWindows { get; init; }
}
