using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Kansoku.Core.Threading;
using Kansoku.Scrape.Config;

namespace Kansoku.Scrape.Discovery;

/// <summary>
/// Runs each job's discoverers and keeps the latest group per (discoverer, source), as Prometheus' discovery.Manager.
/// Changes are coalesced for <c>updateDelay</c> (Prometheus: 5 s) so a burst of Kubernetes events is one update.
/// A new configuration stops every discoverer and starts those it describes.
/// </summary>
internal sealed class DiscoveryManager : IDiscoveryManager
{
    public static readonly TimeSpan DefaultUpdateDelay = TimeSpan.FromSeconds(5);

    private readonly Func<ScrapeConfig, IReadOnlyList<IDiscoverer>> _discoverersFor;
    private readonly TimeSpan _updateDelay;
    private readonly Action<string> _onError;
    private readonly Lock _lock = new();
    private readonly AsyncPulse _changed = new();
    // Guarded by _lock: per job, per discoverer index and source, the latest group.
    private Dictionary<string, Dictionary<(int Discoverer, string Source), TargetGroup>> _groups = [];
    private CancellationTokenSource _running = new();
    private List<Task> _tasks = [];
    private long _version;

    /// <param name="discoverersFor">The discoverers of one job; <see cref="Discoverers.For"/> in production.</param>
    public DiscoveryManager(Func<ScrapeConfig, IReadOnlyList<IDiscoverer>> discoverersFor, TimeSpan? updateDelay = null, Action<string>? onError = null)
    {
        _discoverersFor = discoverersFor;
        _updateDelay = updateDelay ?? DefaultUpdateDelay;
        _onError = onError ?? (_ => { });
    }

    public void ApplyConfig(IReadOnlyList<ScrapeConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        CancellationTokenSource previous;
        var groups = new Dictionary<string, Dictionary<(int, string), TargetGroup>>(StringComparer.Ordinal);
        var running = new CancellationTokenSource();
        var tasks = new List<Task>();
        lock (_lock)
        {
            previous = _running;
            _running = running;
            _groups = groups;
            foreach (var config in configs)
            {
                groups[config.JobName] = [];
                var discoverers = _discoverersFor(config);
                for (var i = 0; i < discoverers.Count; i++)
                {
                    tasks.Add(RunAsync(config.JobName, i, discoverers[i], groups, running.Token));
                }
            }
            _tasks = tasks;
            _version++;
        }
        previous.Cancel();
        previous.Dispose();
        _changed.Pulse();
    }

    public async IAsyncEnumerable<IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>>> WatchAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = _changed.Current;
            if (Interlocked.Read(ref _version) == sent)
            {
                await changed.WaitAsync(cancellationToken);
                continue;
            }
            await Task.Delay(_updateDelay, cancellationToken);
            IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>> snapshot;
            (snapshot, sent) = Snapshot();
            yield return snapshot;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task> tasks;
        lock (_lock)
        {
            _running.Cancel();
            tasks = _tasks;
        }
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
        }
        _running.Dispose();
    }

    private (Dictionary<string, IReadOnlyList<TargetGroup>>, long) Snapshot()
    {
        lock (_lock)
        {
            var snapshot = new Dictionary<string, IReadOnlyList<TargetGroup>>(StringComparer.Ordinal);
            foreach (var (job, groups) in _groups)
            {
                var list = new List<TargetGroup>(groups.Count);
                foreach (var group in groups.Values)
                {
                    if (group.Targets.Count > 0)
                    {
                        list.Add(group);
                    }
                }
                list.Sort((a, b) => string.CompareOrdinal(a.Source, b.Source));
                snapshot[job] = list;
            }
            return (snapshot, _version);
        }
    }

    private async Task RunAsync(string job, int index, IDiscoverer discoverer,
        Dictionary<string, Dictionary<(int, string), TargetGroup>> generation, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var updates = Channel.CreateUnbounded<IReadOnlyList<TargetGroup>>(new UnboundedChannelOptions { SingleReader = true });
        var running = discoverer.RunAsync(updates.Writer, cancellationToken);
        _ = running.ContinueWith(t =>
        {
            if (t.IsFaulted)
            {
                _onError($"discovery for job {job} failed: {t.Exception!.GetBaseException().Message}");
            }
            updates.Writer.TryComplete();
        }, TaskScheduler.Default);
        try
        {
            await foreach (var update in updates.Reader.ReadAllAsync(cancellationToken))
            {
                lock (_lock)
                {
                    // A discoverer of a replaced configuration may still report once; its groups no longer count.
                    if (!ReferenceEquals(generation, _groups))
                    {
                        return;
                    }
                    var jobGroups = generation[job];
                    foreach (var group in update)
                    {
                        jobGroups[(index, group.Source)] = group;
                    }
                    _version++;
                }
                _changed.Pulse();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
