using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Kansoku.Core.Labels;
using Kansoku.Scrape.TextParse;
using Kansoku.Storage.Metrics;

namespace Kansoku.Scrape.Scraping;

/// <summary>
/// Scrapes one target every interval (Prometheus' scrapeLoop): fetches the body, appends its samples with the target's
/// labels in one transaction, adds the report series (<c>up</c>, <c>scrape_duration_seconds</c>, ...), and writes staleness
/// markers for series that disappear, for everything when a scrape fails, and for everything when the target goes away.
/// Scrapes of different targets are spread over the interval by the target's hash.
/// </summary>
internal sealed class ScrapeLoop : IAsyncDisposable
{
    private static readonly string[] ReportNames =
    [
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added",
    ];

    private readonly ActiveTarget _target;
    private readonly HttpClient _http;
    private readonly ISampleAppendable _store;
    private readonly TimeProvider _time;
    private readonly ulong _offsetSeed;
    private readonly ScrapeCache _cache = new();
    private readonly LabelSet[] _reportLabels = new LabelSet[ReportNames.Length];
    private readonly ulong[] _reportRefs = new ulong[ReportNames.Length];
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private long _lastScrapeMs = long.MinValue;
    private volatile string? _forcedError;

    public ScrapeLoop(ActiveTarget target, HttpClient http, ISampleAppendable store, TimeProvider time, ulong offsetSeed)
    {
        _target = target;
        _http = http;
        _store = store;
        _time = time;
        _offsetSeed = offsetSeed;
        for (var i = 0; i < ReportNames.Length; i++)
        {
            _reportLabels[i] = target.Labels.With(LabelNames.MetricName, ReportNames[i]);
        }
    }

    public ActiveTarget Target => _target;

    public void Start() => _run = RunAsync(_stop.Token);

    /// <summary>
    /// A fault of the whole pool (target_limit exceeded), or null when it is gone. While it is set, scrapes do not fetch:
    /// each one reports the error with <c>up</c> 0 and marks the series of the last scrape stale, as Prometheus' forced error.
    /// </summary>
    internal void SetForcedError(string? error) => _forcedError = error;

    /// <summary>
    /// Stops scraping. With <paramref name="markStale"/> (the target went away), every series of the last scrape and the
    /// report series get a staleness marker now, so queries stop returning them at once.
    /// </summary>
    public async Task StopAsync(bool markStale)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.ConfigureAwait(false);
        }
        if (markStale && _lastScrapeMs != long.MinValue)
        {
            var nowMs = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), _lastScrapeMs + 1);
            var appender = _store.Appender();
            foreach (var (labels, seriesRef) in _cache.LastScrapeSeries)
            {
                AppendStale(appender, seriesRef, labels, nowMs);
            }
            for (var i = 0; i < _reportLabels.Length; i++)
            {
                AppendStale(appender, _reportRefs[i], _reportLabels[i], nowMs);
            }
            appender.Commit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(markStale: false).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>How long to wait before the first scrape so that this target's scrapes fall at its own point of the interval.</summary>
    internal TimeSpan InitialDelay()
    {
        var interval = _target.Settings.Interval.Ticks;
        var now = _time.GetUtcNow().UtcTicks;
        var offset = (long)((_target.Identity ^ _offsetSeed) % (ulong)interval);
        return TimeSpan.FromTicks(((interval - (now % interval)) + offset) % interval);
    }

    private async Task RunAsync(CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(InitialDelay(), _time, cancellation).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_target.Settings.Interval, _time);
            do
            {
                await ScrapeOnceAsync(cancellation).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    /// <summary>One scrape: fetch, append, report. Never throws for the target's faults; they make <c>up</c> 0.</summary>
    internal async Task ScrapeOnceAsync(CancellationToken cancellation)
    {
        var start = _time.GetUtcNow();
        var scrapeMs = ScrapeTimestamp(start.ToUnixTimeMilliseconds());
        var started = Stopwatch.GetTimestamp();
        var result = default(AppendResult);
        var appender = _store.Appender();
        var error = _forcedError;
        if (error is null)
        {
            byte[]? buffer = null;
            try
            {
                (buffer, var length, var contentType) = await FetchAsync(cancellation).ConfigureAwait(false);
                result = AppendBody(appender, buffer.AsMemory(0, length), contentType, scrapeMs);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                appender.Rollback();
                throw;
            }
            catch (Exception failure) when (failure is HttpRequestException or OperationCanceledException or ScrapeFailedException
                                                or ExpositionFormatException or IOException or InvalidDataException)
            {
                error = failure is OperationCanceledException ? $"scrape timed out after {_target.Settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s" : failure.Message;
                appender.Rollback();
                appender = _store.Appender();
                result = default;
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        if (error is not null)
        {
            // A failed scrape counts as an empty one: every series of the last scrape disappears.
            _cache.BeginScrape();
        }

        foreach (var (labels, seriesRef) in _cache.DisappearedSeries())
        {
            AppendStale(appender, seriesRef, labels, scrapeMs);
        }
        _cache.EndScrape(succeeded: error is null);

        var duration = Stopwatch.GetElapsedTime(started);
        AppendReport(appender, scrapeMs, error is null ? 1 : 0, duration.TotalSeconds, result);
        appender.Commit();
        _lastScrapeMs = scrapeMs;
        _target.Report(
            new ScrapeStatus(error is null ? TargetHealth.Up : TargetHealth.Down, start, duration, error ?? "", result.Scraped),
            error is null ? _cache.MetadataSnapshot() : null);
    }

    /// <summary>
    /// A scrape that starts within <see cref="TimestampToleranceMs"/> of exactly one interval after the last one gets
    /// exactly that time (Prometheus' scrape timestamp tolerance): timers jitter by milliseconds, and evenly spaced
    /// timestamps cost a bit per sample in a chunk instead of a byte or more.
    /// </summary>
    internal long ScrapeTimestamp(long nowMs)
    {
        if (_lastScrapeMs == long.MinValue)
        {
            return nowMs;
        }
        var expected = _lastScrapeMs + (long)_target.Settings.Interval.TotalMilliseconds;
        return Math.Abs(nowMs - expected) <= TimestampToleranceMs ? expected : Math.Max(nowMs, _lastScrapeMs + 1);
    }

    /// <summary>Prometheus uses 2 ms; .NET timers on a busy machine wake later than Go's, so the window is wider.</summary>
    internal const long TimestampToleranceMs = 25;

    private async Task<(byte[] Buffer, int Length, string? ContentType)> FetchAsync(CancellationToken cancellation)
    {
        var settings = _target.Settings;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, _target.Url);
        request.Headers.TryAddWithoutValidation("Accept", ExpositionFormats.AcceptHeader);
        request.Headers.TryAddWithoutValidation("X-Prometheus-Scrape-Timeout-Seconds",
            settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ScrapeFailedException($"server returned HTTP status {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            var length = 0;
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false)) > 0)
                {
                    length += read;
                    if (settings.BodySizeLimit > 0 && length > settings.BodySizeLimit)
                    {
                        throw new ScrapeFailedException($"body size limit exceeded ({settings.BodySizeLimit} bytes)");
                    }
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
                return (buffer, length, response.Content.Headers.ContentType?.ToString());
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

    internal readonly record struct AppendResult(int Scraped, int PostRelabel, int SeriesAdded);

    /// <summary>Appends a body's samples; throws <see cref="ScrapeFailedException"/> when a limit fails the whole scrape.</summary>
    internal AppendResult AppendBody(ISampleAppender appender, ReadOnlyMemory<byte> body, string? contentType, long scrapeMs)
    {
        var settings = _target.Settings;
        var parser = ExpositionFormats.CreateParser(contentType, body);
        _cache.BeginScrape();
        int scraped = 0, postRelabel = 0, seriesAdded = 0;
        ExpositionEntry entry;
        while ((entry = parser.Next()) != ExpositionEntry.EndOfInput)
        {
            if (entry != ExpositionEntry.Series)
            {
                _cache.Announce(entry, parser);
                continue;
            }
            scraped++;
            var isNew = false;
            if (!_cache.TryGet(parser.Series, out var series))
            {
                var labels = SampleLabels.WithTarget(parser.GetLabels(), _target.Labels, settings.HonorLabels);
                labels = settings.MetricRelabel is null ? labels : settings.MetricRelabel(labels);
                if (labels is not null)
                {
                    CheckLabelLimits(labels, settings);
                }
                series = _cache.Add(parser.Series, labels);
                isNew = true;
            }
            if (series.Labels is null)
            {
                continue;
            }
            postRelabel++;
            if (settings.SampleLimit > 0 && postRelabel > settings.SampleLimit)
            {
                throw new ScrapeFailedException($"sample limit exceeded ({settings.SampleLimit})");
            }
            var explicitTimestamp = settings.HonorTimestamps ? parser.TimestampMs : null;
            // Series with their own timestamps are not tracked for staleness, as in Prometheus: the target owns their time.
            if (explicitTimestamp is null && !_cache.MarkSeen(series.Labels, series.Ref))
            {
                continue;
            }
            try
            {
                series.Ref = appender.Append(series.Ref, series.Labels, explicitTimestamp ?? scrapeMs, parser.Value);
                if (isNew)
                {
                    seriesAdded++;
                }
            }
            catch (SampleRejectedException)
            {
                // Out of order, too old or duplicate: Prometheus counts these and keeps the rest of the scrape.
            }
        }
        return new AppendResult(scraped, postRelabel, seriesAdded);
    }

    private static void CheckLabelLimits(LabelSet labels, ScrapeSettings settings)
    {
        if (settings.LabelLimit > 0 && labels.Count > settings.LabelLimit)
        {
            throw new ScrapeFailedException($"label_limit exceeded (metric: {labels.Get(LabelNames.MetricName)}, number of labels: {labels.Count}, limit: {settings.LabelLimit})");
        }
        foreach (var label in labels.AsSpan())
        {
            if (settings.LabelNameLengthLimit > 0 && label.Name.Length > settings.LabelNameLengthLimit)
            {
                throw new ScrapeFailedException($"label_name_length_limit exceeded (metric: {labels.Get(LabelNames.MetricName)}, label name: {label.Name}, limit: {settings.LabelNameLengthLimit})");
            }
            if (settings.LabelValueLengthLimit > 0 && label.Value.Length > settings.LabelValueLengthLimit)
            {
                throw new ScrapeFailedException($"label_value_length_limit exceeded (metric: {labels.Get(LabelNames.MetricName)}, label: {label.Name}, limit: {settings.LabelValueLengthLimit})");
            }
        }
    }

    private void AppendReport(ISampleAppender appender, long scrapeMs, double up, double durationSeconds, AppendResult result)
    {
        ReadOnlySpan<double> values = [up, durationSeconds, result.Scraped, result.PostRelabel, result.SeriesAdded];
        for (var i = 0; i < _reportLabels.Length; i++)
        {
            try
            {
                _reportRefs[i] = appender.Append(_reportRefs[i], _reportLabels[i], scrapeMs, values[i]);
            }
            catch (SampleRejectedException)
            {
                // A report sample can only clash with a clock that went backwards; the next scrape reports again.
            }
        }
    }

    private static void AppendStale(ISampleAppender appender, ulong seriesRef, LabelSet labels, long timestampMs)
    {
        try
        {
            appender.Append(seriesRef, labels, timestampMs, StaleMarker.Value);
        }
        catch (SampleRejectedException)
        {
            // The series already has a newer sample (another writer): nothing to mark.
        }
    }
}

/// <summary>A scrape that failed as a whole: the target answered badly or broke a limit. Its message is the target's last error.</summary>
internal sealed class ScrapeFailedException(string message) : Exception(message);
