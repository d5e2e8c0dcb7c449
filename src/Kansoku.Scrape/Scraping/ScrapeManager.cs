using System.Text;
using Kansoku.Core.Labels;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.Http;
using Kansoku.Scrape.Relabel;
using Kansoku.Storage.Metrics;

namespace Kansoku.Scrape.Scraping;

/// <summary>
/// All scrape jobs of a configuration (Prometheus' scrape.Manager): a pool per job, fed the target groups that
/// discovery gives (<see cref="FollowAsync"/>); <see cref="ApplyConfigAsync"/> again on reload.
/// </summary>
internal sealed class ScrapeManager : IAsyncDisposable
{
    private readonly ISampleAppendable _store;
    private readonly TimeProvider _time;
    private readonly string _userAgent;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private ulong _offsetSeed;

    public ScrapeManager(ISampleAppendable store, TimeProvider time, string userAgent)
    {
        _store = store;
        _time = time;
        _userAgent = userAgent;
    }

    public IReadOnlyList<ScrapePool> Pools
    {
        get
        {
            var jobs = _jobs;
            var pools = new List<ScrapePool>(jobs.Count);
            foreach (var job in jobs.Values)
            {
                pools.Add(job.Pool);
            }
            return pools;
        }
    }

    /// <summary>Errors of targets that could not be built (a bad address after relabelling), per job.</summary>
    public IReadOnlyList<string> TargetErrors(string job) => _jobs.TryGetValue(job, out var found) ? found.Errors : [];

    public async Task ApplyConfigAsync(PrometheusConfig config)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            // Prometheus seeds the spread with the external labels and host name, so that HA pairs scrape at different moments.
            _offsetSeed = config.Global.ExternalLabels.Hash ^ System.IO.Hashing.XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(Environment.MachineName));
            var next = new Dictionary<string, Job>(StringComparer.Ordinal);
            foreach (var scrapeConfig in config.ScrapeConfigs)
            {
                // Until discovery reports for the new configuration, a job keeps the groups it had.
                IReadOnlyList<TargetGroup> groups = [];
                if (_jobs.Remove(scrapeConfig.JobName, out var old))
                {
                    groups = old.Groups;
                    await old.DisposeAsync(markStale: false).ConfigureAwait(false);
                }
                var http = scrapeConfig.InProcessEndpoint is { } endpoint
                    ? new HttpClient(endpoint, disposeHandler: false)
                    : ConfiguredHttpClient.Create(scrapeConfig.Http, _userAgent);
                var job = new Job(scrapeConfig, Settings(scrapeConfig), http,
                    new ScrapePool(scrapeConfig.JobName, http, _store, _time, _offsetSeed) { TargetLimit = Limit(scrapeConfig.Limits.TargetLimit) })
                {
                    Groups = groups,
                };
                next[scrapeConfig.JobName] = job;
                await SyncAsync(job).ConfigureAwait(false);
            }
            foreach (var removed in _jobs.Values)
            {
                await removed.DisposeAsync(markStale: true).ConfigureAwait(false);
            }
            _jobs = next;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Every job's target groups as discovery sees them now (a job left out keeps its groups).</summary>
    public async Task SetTargetGroupsAsync(IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>> groupsByJob)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var (jobName, groups) in groupsByJob)
            {
                if (_jobs.TryGetValue(jobName, out var job))
                {
                    job.Groups = groups;
                    await SyncAsync(job).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Follows <paramref name="discovery"/>'s updates until cancelled.</summary>
    public async Task FollowAsync(IDiscoveryManager discovery, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var groups in discovery.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                await SetTargetGroupsAsync(groups).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task SyncAsync(Job job)
    {
        var targets = new List<ActiveTarget>();
        var dropped = new List<LabelSet>();
        var errors = new List<string>();
        foreach (var group in job.Groups)
        {
            var built = ScrapeTargetBuilder.Build(job.Config, group);
            foreach (var target in built.Targets)
            {
                var settings = target.ScrapeInterval == job.Settings.Interval && target.ScrapeTimeout == job.Settings.Timeout
                    ? job.Settings
                    : job.Settings with { Interval = target.ScrapeInterval, Timeout = target.ScrapeTimeout };
                targets.Add(new ActiveTarget(job.Config.JobName, target.Labels, target.DiscoveredLabels, target.Url, settings));
            }
            foreach (var target in built.Dropped)
            {
                dropped.Add(target.DiscoveredLabels);
            }
            errors.AddRange(built.Errors);
        }
        job.Errors = errors;
        job.Pool.DroppedTargets = dropped;
        await job.Pool.SyncAsync(targets).ConfigureAwait(false);
    }

    private static ScrapeSettings Settings(ScrapeConfig config)
    {
        var metricRelabel = config.MetricRelabelConfigs;
        return new ScrapeSettings
        {
            Interval = config.ScrapeInterval,
            Timeout = config.ScrapeTimeout,
            HonorLabels = config.HonorLabels,
            HonorTimestamps = config.HonorTimestamps,
            SampleLimit = Limit(config.Limits.SampleLimit),
            LabelLimit = Limit(config.Limits.LabelLimit),
            LabelNameLengthLimit = Limit(config.Limits.LabelNameLengthLimit),
            LabelValueLengthLimit = Limit(config.Limits.LabelValueLengthLimit),
            BodySizeLimit = config.Limits.BodySizeLimit,
            MetricRelabel = metricRelabel.Count == 0 ? null : labels => Relabeler.Process(labels, metricRelabel),
        };
    }

    private static int Limit(long value) => (int)Math.Min(value, int.MaxValue);

    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var job in _jobs.Values)
            {
                await job.DisposeAsync(markStale: false).ConfigureAwait(false);
            }
            _jobs = [];
        }
        finally
        {
            _lock.Release();
        }
        _lock.Dispose();
    }

    private sealed class Job(ScrapeConfig config, ScrapeSettings settings, HttpClient http, ScrapePool pool)
    {
        public ScrapeConfig Config { get; } = config;
        public ScrapeSettings Settings { get; } = settings;
        public ScrapePool Pool { get; } = pool;
        public IReadOnlyList<TargetGroup> Groups { get; set; } = [];
        public IReadOnlyList<string> Errors { get; set; } = [];

        public async Task DisposeAsync(bool markStale)
        {
            await Pool.StopAsync(markStale).ConfigureAwait(false);
            await Pool.DisposeAsync().ConfigureAwait(false);
            http.Dispose();
        }
    }
}
