using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.Scrape.Scraping;

/// <summary>
/// The scrape loops of one job (Prometheus' scrapePool): <see cref="SyncAsync"/> starts a loop per new target, keeps the
/// loops of targets that stay, and stops those of targets that went away, marking their series stale.
/// </summary>
public sealed class ScrapePool : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly ISampleAppendable _store;
    private readonly TimeProvider _time;
    private readonly ulong _offsetSeed;
    private readonly SemaphoreSlim _sync = new(1, 1);
    private Dictionary<ulong, ScrapeLoop> _loops = [];
    private volatile IReadOnlyList<ActiveTarget> _activeTargets = [];
    private long _exceededTargetLimit;

    /// <param name="offsetSeed">
    /// Mixed into every target's hash to place its scrapes in the interval; give each Kansoku server its own (its
    /// external labels' hash), so that two servers scraping the same targets do not scrape them at the same moment.
    /// </param>
    public ScrapePool(string name, HttpClient http, ISampleAppendable store, TimeProvider time, ulong offsetSeed)
    {
        Name = name;
        _http = http;
        _store = store;
        _time = time;
        _offsetSeed = offsetSeed;
    }

    public string Name { get; }

    public IReadOnlyList<ActiveTarget> ActiveTargets => _activeTargets;

    /// <summary>
    /// target_limit: with more targets than this after relabelling, no target of the pool is scraped (each reports the
    /// error and <c>up</c> 0) until they are back within it. 0 means no limit.
    /// </summary>
    public int TargetLimit { get; init; }

    /// <summary>How many syncs found more targets than <see cref="TargetLimit"/> (prometheus_target_scrape_pool_exceeded_target_limit_total).</summary>
    public long ExceededTargetLimitTotal => Interlocked.Read(ref _exceededTargetLimit);

    /// <summary>The discovered labels of targets that relabelling dropped, for the targets API.</summary>
    public IReadOnlyList<LabelSet> DroppedTargets { get; set; } = [];

    public async Task SyncAsync(IReadOnlyList<ActiveTarget> targets)
    {
        await _sync.WaitAsync().ConfigureAwait(false);
        try
        {
            var next = new Dictionary<ulong, ScrapeLoop>(targets.Count);
            var active = new List<ActiveTarget>(targets.Count);
            List<ScrapeLoop>? started = null;
            foreach (var target in targets)
            {
                if (next.ContainsKey(target.Identity))
                {
                    continue;
                }
                if (!_loops.Remove(target.Identity, out var loop) || loop.Target.Settings != target.Settings)
                {
                    if (loop is not null)
                    {
                        await loop.DisposeAsync().ConfigureAwait(false);
                    }
                    loop = new ScrapeLoop(target, _http, _store, _time, _offsetSeed);
                    (started ??= []).Add(loop);
                }
                next[target.Identity] = loop;
                active.Add(loop.Target);
            }
            foreach (var gone in _loops.Values)
            {
                await gone.StopAsync(markStale: true).ConfigureAwait(false);
                await gone.DisposeAsync().ConfigureAwait(false);
            }
            _loops = next;
            _activeTargets = active;
            // Set before the new loops start, so that none of them scrapes once past the limit.
            var forcedError = TargetLimitError(next.Count);
            foreach (var loop in next.Values)
            {
                loop.SetForcedError(forcedError);
            }
            foreach (var loop in started ?? [])
            {
                loop.Start();
            }
        }
        finally
        {
            _sync.Release();
        }
    }

    private string? TargetLimitError(int targets)
    {
        if (TargetLimit <= 0 || targets <= TargetLimit)
        {
            return null;
        }
        Interlocked.Increment(ref _exceededTargetLimit);
        return $"target_limit exceeded (number of targets: {targets}, limit: {TargetLimit})";
    }

    /// <summary>Stops every loop; with <paramref name="markStale"/>, as if every target went away.</summary>
    public async Task StopAsync(bool markStale)
    {
        await _sync.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var loop in _loops.Values)
            {
                await loop.StopAsync(markStale).ConfigureAwait(false);
                await loop.DisposeAsync().ConfigureAwait(false);
            }
            _loops = [];
            _activeTargets = [];
        }
        finally
        {
            _sync.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(markStale: false).ConfigureAwait(false);
        _sync.Dispose();
    }
}
