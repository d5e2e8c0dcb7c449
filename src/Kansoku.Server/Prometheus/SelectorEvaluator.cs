using Kansoku.Storage.Metrics;

namespace Kansoku.Server.Prometheus;

/// <summary>
/// Evaluates a <see cref="Selector"/> over the store with PromQL's rules as Prometheus 2 (Debian's 2.42, the peer the
/// tests compare with) applies them: an instant vector takes, per series, the newest sample in the lookback window
/// [t - lookback, t] and stamps it with t, unless that sample is a staleness marker, which ends the series at once; a
/// range selector returns the samples in [t - range, t] without markers. (Prometheus 3 made both windows left-open.)
/// Range queries evaluate the instant vector at every step, walking each series once.
/// </summary>
internal sealed class SelectorEvaluator(ISampleQueryable samples, long lookbackDeltaMs)
{
    /// <summary>How many steps run between two cancellation checks, so a timeout is noticed without checking every step.</summary>
    private const int StepsPerCancellationCheck = 1024;

    public QueryResult Instant(Selector selector, long timeMs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var window = selector.RangeMs ?? lookbackDeltaMs;
        var windowStart = timeMs - window;
        using var querier = samples.Querier(windowStart, timeMs);
        var result = new List<ResultSeries>();
        foreach (var series in querier.Select(selector.Matchers))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var iterator = series.Iterator();
            if (!iterator.Seek(windowStart))
            {
                continue;
            }
            if (selector.IsRange)
            {
                var points = new List<ResultPoint>();
                do
                {
                    if (iterator.TimestampMs > timeMs)
                    {
                        break;
                    }
                    if (!StaleMarker.Is(iterator.Value))
                    {
                        points.Add(new ResultPoint(iterator.TimestampMs, iterator.Value));
                    }
                }
                while (iterator.Next());
                if (points.Count > 0)
                {
                    result.Add(new ResultSeries(series.Labels, points));
                }
                continue;
            }
            var found = false;
            var value = 0.0;
            do
            {
                if (iterator.TimestampMs > timeMs)
                {
                    break;
                }
                value = iterator.Value;
                found = true;
            }
            while (iterator.Next());
            if (found && !StaleMarker.Is(value))
            {
                result.Add(new ResultSeries(series.Labels, [new ResultPoint(timeMs, value)]));
            }
        }
        return new QueryResult(selector.IsRange, result);
    }

    public QueryResult Range(Selector selector, long startMs, long endMs, long stepMs, CancellationToken cancellationToken)
    {
        if (selector.IsRange)
        {
            throw PrometheusApiException.BadData("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
        }
        cancellationToken.ThrowIfCancellationRequested();
        var firstWindowStart = startMs - lookbackDeltaMs;
        using var querier = samples.Querier(firstWindowStart, endMs);
        var result = new List<ResultSeries>();
        foreach (var series in querier.Select(selector.Matchers))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var iterator = series.Iterator();
            var hasNext = iterator.Seek(firstWindowStart);
            var haveLast = false;
            long lastTimestamp = 0;
            var lastValue = 0.0;
            List<ResultPoint>? points = null;
            var steps = 0;
            for (var time = startMs; time <= endMs; time += stepMs)
            {
                if (++steps % StepsPerCancellationCheck == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                while (hasNext && iterator.TimestampMs <= time)
                {
                    lastTimestamp = iterator.TimestampMs;
                    lastValue = iterator.Value;
                    haveLast = true;
                    hasNext = iterator.Next();
                }
                if (haveLast && lastTimestamp >= time - lookbackDeltaMs && !StaleMarker.Is(lastValue))
                {
                    (points ??= []).Add(new ResultPoint(time, lastValue));
                }
                if (!hasNext && (!haveLast || StaleMarker.Is(lastValue)))
                {
                    break; // nothing more can appear for this series
                }
            }
            if (points is not null)
            {
                result.Add(new ResultSeries(series.Labels, points));
            }
        }
        return new QueryResult(IsMatrix: true, result);
    }
}
