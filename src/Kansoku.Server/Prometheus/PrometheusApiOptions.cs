using System.Diagnostics;
using Kansoku.PromQL.Engine;
using Kansoku.Storage.Metrics;

namespace Kansoku.Server.Prometheus;

/// <summary>
/// What the Prometheus API serves from. The views are optional until their subsystems exist: without targets and
/// metadata the API answers with empty lists (there is nothing scraped), without TSDB statistics <c>status/tsdb</c>
/// answers <c>unavailable</c>, and without a status view runtimeinfo reports no configuration.
/// </summary>
internal sealed class PrometheusApiOptions
{
    /// <summary>Prometheus' default <c>--query.lookback-delta</c>.</summary>
    public static readonly TimeSpan DefaultLookbackDelta = TimeSpan.FromMinutes(5);

    public required ISampleQueryable Samples { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public TimeSpan LookbackDelta { get; init; } = DefaultLookbackDelta;

    /// <summary>
    /// Limits and window semantics of PromQL queries. Windows are Prometheus 2's closed <c>[t - range, t]</c>, as the
    /// selectors have been and as Debian's Prometheus 2.42 beside it answers (docs/metrics.md).
    /// </summary>
    public EngineOptions Engine { get; init; } = new() { ClosedWindows = true };

    public IScrapeTargetsView? Targets { get; init; }

    public IMetricMetadataView? Metadata { get; init; }

    public ITsdbStatusView? Tsdb { get; init; }

    public IServerStatusView? Status { get; init; }

    /// <summary>Serves <c>POST /-/reload</c>; without it the endpoint answers 503 (nothing to reload).</summary>
    public IConfigReloader? Reloader { get; init; }

    /// <summary>False while the store is still starting (WAL replay): the API then answers 503 as Prometheus does.</summary>
    public Func<bool> IsReady { get; init; } = static () => true;

    public DateTimeOffset StartTime { get; init; } = ProcessStartTime();

    private static DateTimeOffset ProcessStartTime()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime());
    }
}
