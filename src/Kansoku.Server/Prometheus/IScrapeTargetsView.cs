namespace Kansoku.Server.Prometheus;

/// <summary>What the scrape manager shows <c>/api/v1/targets</c>. Implementations must be safe to call from request threads.</summary>
internal interface IScrapeTargetsView
{
    /// <summary>The targets being scraped, in any order (the endpoint sorts them by pool, keeping each pool's order).</summary>
    IReadOnlyList<ActiveScrapeTarget> ActiveTargets();

    /// <summary>Discovered targets dropped by relabelling.</summary>
    IReadOnlyList<DroppedScrapeTarget> DroppedTargets();
}
