namespace Kansoku.Scrape.Discovery;

/// <summary>
/// Runs the discoverers of every scrape job and tells the scrape manager what each job's targets are now.
/// Build targets from the groups with <see cref="ScrapeTargetBuilder.Build"/>.
/// </summary>
internal interface IDiscoveryManager : IAsyncDisposable
{
    /// <summary>Replaces the running discoverers with those <paramref name="configs"/> describe.</summary>
    void ApplyConfig(IReadOnlyList<Config.ScrapeConfig> configs);

    /// <summary>
    /// Every job's current groups, first once all discoverers have reported (or after the update delay), then after
    /// each change, no more often than the update delay. Jobs without groups map to an empty list.
    /// </summary>
    IAsyncEnumerable<IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>>> WatchAsync(CancellationToken cancellationToken);
}
