using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kansoku.Kubernetes;

/// <summary>
/// Keeps one resource kind in sync: list, then watch from the list's resourceVersion; on a closed watch, watch again
/// from the last version seen; on 410 Gone (the version expired), list again; on failure, back off and retry.
/// Every failure is logged and counted.
/// </summary>
internal sealed class ResourceWatch<TItem, TList>
    where TItem : IKubernetesObject<V1ObjectMeta>
    where TList : IItems<TItem>, IMetadata<V1ListMeta>
{
    public delegate Task<TList> List(CancellationToken cancellationToken);

    /// <summary>Watches from a resourceVersion, with the server-side timeout, reporting error events to onError.</summary>
    public delegate IAsyncEnumerable<(WatchEventType Type, TItem Item)> Watch(string resourceVersion, int timeoutSeconds,
        Action<Exception> onError, CancellationToken cancellationToken);

    private readonly string _name;
    private readonly List _list;
    private readonly Watch _watch;
    private readonly Func<IList<TItem>, bool> _onList;
    private readonly Action<WatchEventType, TItem> _onEvent;
    private readonly IWatchLog _log;
    private readonly KubernetesApiStats _stats;
    private readonly KubernetesWatchSettings _settings;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="onList">Replaces the cache with a full list; returns false to ask for an immediate relist.</param>
    public ResourceWatch(string name, List list, Watch watch, Func<IList<TItem>, bool> onList, Action<WatchEventType, TItem> onEvent,
        IWatchLog log, KubernetesApiStats stats, KubernetesWatchSettings settings)
    {
        _name = name;
        _list = list;
        _watch = watch;
        _onList = onList;
        _onEvent = onEvent;
        _log = log;
        _stats = stats;
        _settings = settings;
    }

    /// <summary>Completes after the first successful list.</summary>
    public Task Synced => _synced.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await ListAsync(cancellationToken);
                    if (resourceVersion is null)
                    {
                        continue;
                    }
                }
                var (nextVersion, healthy) = await WatchAsync(resourceVersion, cancellationToken);
                resourceVersion = nextVersion;
                if (healthy)
                {
                    failures = 0;
                    continue;
                }
                await BackoffAsync(++failures, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
            {
                _stats.AddRelist();
                _log.Info($"kubernetes: {_name} resourceVersion expired (410 Gone); listing again");
                resourceVersion = null;
            }
            catch (Exception e)
            {
                _stats.AddError();
                failures++;
                var delay = Delay(failures);
                _log.Warn($"kubernetes: {_name} {(resourceVersion is null ? "list" : "watch")} failed: {Describe(e)}; retrying in {delay.TotalSeconds:0.###}s");
                await BackoffAsync(failures, cancellationToken);
            }
        }
    }

    private async Task<string?> ListAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.RequestTimeout);
        var list = await _list(timeout.Token);
        if (!_onList(list.Items ?? []))
        {
            return null;
        }
        _synced.TrySetResult();
        _log.Debug($"kubernetes: listed {list.Items?.Count ?? 0} {_name} at resourceVersion {list.Metadata?.ResourceVersion}");
        // An empty version cannot resume a watch; "0" would mean "any", which may replay stale state: list again.
        return string.IsNullOrEmpty(list.Metadata?.ResourceVersion) ? null : list.Metadata.ResourceVersion;
    }

    /// <summary>Returns the version to resume from (null: list again) and whether the watch ended in good order.</summary>
    private async Task<(string? ResourceVersion, bool Healthy)> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        // The server closes the watch after timeoutSeconds; the client-side limit catches a connection that died silently.
        var serverTimeout = _settings.WatchTimeoutSeconds + Random.Shared.Next(_settings.WatchTimeoutSeconds / 4 + 1);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(serverTimeout) + _settings.RequestTimeout);
        Exception? watchError = null;
        var events = 0;
        var started = DateTime.UtcNow;
        try
        {
            await foreach (var (type, item) in _watch(resourceVersion, serverTimeout, e => watchError ??= e, timeout.Token))
            {
                events++;
                var itemVersion = item?.Metadata?.ResourceVersion;
                if (type != WatchEventType.Bookmark && item is not null)
                {
                    _onEvent(type, item);
                }
                if (!string.IsNullOrEmpty(itemVersion))
                {
                    resourceVersion = itemVersion;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            _stats.AddError();
            _log.Warn($"kubernetes: {_name} watch stalled past {serverTimeout}s; reconnecting");
            return (resourceVersion, false);
        }
        _stats.AddWatchRestart();
        if (watchError is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
        {
            _stats.AddRelist();
            _log.Info($"kubernetes: {_name} resourceVersion expired (410 Gone); listing again");
            return (null, true);
        }
        if (watchError is not null)
        {
            _stats.AddError();
            _log.Warn($"kubernetes: {_name} watch error: {Describe(watchError)}; reconnecting");
            return (resourceVersion, false);
        }
        // A watch the server ends at once, again and again, would spin: treat a quick empty one as a failure.
        return (resourceVersion, events > 0 || DateTime.UtcNow - started > TimeSpan.FromSeconds(1));
    }

    private Task BackoffAsync(int failures, CancellationToken cancellationToken) => Task.Delay(Delay(failures), cancellationToken);

    private TimeSpan Delay(int failures)
    {
        var exponent = Math.Min(failures - 1, 16);
        var delay = _settings.InitialBackoff * Math.Pow(2, exponent);
        return delay > _settings.MaxBackoff ? _settings.MaxBackoff : delay;
    }

    private static string Describe(Exception e) => e switch
    {
        HttpOperationException { Response: { } response } => response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "401 Unauthorized (check the service account token)",
            HttpStatusCode.Forbidden => $"403 Forbidden (the service account needs list and watch; {FirstLine(response.Content)})",
            _ => $"{(int)response.StatusCode} {response.StatusCode}: {FirstLine(response.Content)}",
        },
        KubernetesException { Status: { } status } => $"{status.Code} {status.Reason}: {status.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private static string FirstLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "no body";
        }
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var line = end < 0 ? text : text[..end];
        return line.Length > 300 ? line[..300] : line;
    }
}
