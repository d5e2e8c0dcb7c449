using Kansoku.Storage.Logs;
using Kansoku.Core.Time;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// Reads logs from the server's <c>query_range</c>: the history oldest first (paging forward), or its last N lines
/// (paging backward), then, with <c>--follow</c>, polls for newer entries every second.
/// </summary>
internal sealed class ServerLogs
{
    /// <summary>Without --since: the server's default retention, i.e. everything it keeps unless told otherwise.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(7);

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Each poll looks this far behind the newest printed entry: agents on different nodes deliver batches a second or
    /// two apart, so an entry can arrive after a newer one from another node was printed.
    /// </summary>
    private const long FollowLookbackNanos = 3_000_000_000L;

    private readonly LokiClient _client;
    private readonly LinePrinter _printer;
    private readonly int _batch;
    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly string _query;
    private readonly SeenLines _seen = new();
    private long _lastPrinted = long.MinValue;

    public ServerLogs(LokiClient client, LinePrinter printer, string query, int batch, TextWriter error, TimeProvider time)
    {
        _client = client;
        _printer = printer;
        _query = query;
        _batch = batch;
        _error = error;
        _time = time;
    }

    public async Task RunAsync(LogsRequest request, CancellationToken stop)
    {
        var start = request.SinceUnixNano ?? request.NowUnixNano - DefaultRange.Ticks * 100;
        var end = request.NowUnixNano;
        if (request.Previous)
        {
            await PrintPreviousAsync(start, end, request.Tail, stop);
            return;
        }
        // Entries from here on were all printed, so a poll may look back to here without printing one twice.
        long coveredFrom;
        if (request.Tail is { } tail)
        {
            var newestFirst = new List<LogLine>(Math.Min(tail, _batch));
            var complete = await BackwardAsync(start, end, tail, newestFirst.Add, stop);
            for (var i = newestFirst.Count - 1; i >= 0; i--)
            {
                Print(newestFirst[i]);
            }
            _printer.Flush();
            coveredFrom = complete ? start : newestFirst.Count > 0 ? newestFirst[^1].TimeUnixNano + 1 : end;
            foreach (var line in newestFirst)
            {
                _seen.IsNew(line);
            }
        }
        else
        {
            await ForwardAsync(start, end, stop);
            coveredFrom = start;
        }
        if (!request.Follow)
        {
            return;
        }
        await FollowAsync(coveredFrom, end, stop);
    }

    private async Task FollowAsync(long coveredFrom, long historyEnd, CancellationToken stop)
    {
        var failing = false;
        while (true)
        {
            await Task.Delay(s_pollInterval, _time, stop);
            var newest = _lastPrinted == long.MinValue ? historyEnd : _lastPrinted;
            var from = Math.Max(coveredFrom, newest - FollowLookbackNanos);
            try
            {
                await ForwardAsync(from, NowUnixNano() + 1, stop);
                if (failing)
                {
                    _error.WriteLine($"kansoku logs: {_client.Server} answers again");
                    failing = false;
                }
            }
            catch (LogsException e) when (e.Transient)
            {
                // Keep following through a server restart; say so once, not every second.
                if (!failing)
                {
                    _error.WriteLine($"kansoku logs: {e.Message}; retrying every second");
                    failing = true;
                }
            }
        }
    }

    /// <summary>Prints the entries of [from, to) oldest first, page by page.</summary>
    private async Task ForwardAsync(long from, long to, CancellationToken stop)
    {
        var cursor = from;
        while (true)
        {
            _seen.StartAnswer(cursor);
            var page = await _client.QueryRangeAsync(_query, cursor, to, _batch, LogDirection.Forward, stop);
            foreach (var line in page)
            {
                if (_seen.IsNew(line))
                {
                    Print(line);
                }
            }
            _printer.Flush();
            if (page.Count < _batch)
            {
                return;
            }
            // The next page starts at this page's last timestamp (inclusive): entries sharing it may not all have fit.
            var last = page[^1].TimeUnixNano;
            if (last == cursor)
            {
                Warn(last);
                cursor = last + 1;
            }
            else
            {
                cursor = last;
            }
        }
    }

    /// <summary>
    /// Passes the newest <paramref name="max"/> entries of [from, to) to <paramref name="onLine"/>, newest first.
    /// Returns true when the range held no more than that.
    /// </summary>
    private async Task<bool> BackwardAsync(long from, long to, int max, Action<LogLine> onLine, CancellationToken stop)
    {
        var seen = new SeenLines();
        var taken = 0;
        var atBoundary = 0;
        while (taken < max)
        {
            // Entries at the boundary timestamp come again and do not count: ask for that many more.
            var limit = (int)Math.Min(_batch, (long)max - taken + atBoundary);
            seen.StartAnswer(long.MinValue);
            var page = await _client.QueryRangeAsync(_query, from, to, limit, LogDirection.Backward, stop);
            var fresh = 0;
            foreach (var line in page)
            {
                if (taken < max && seen.IsNew(line))
                {
                    onLine(line);
                    taken++;
                    fresh++;
                }
            }
            if (page.Count < limit)
            {
                return true;
            }
            var oldest = page[^1].TimeUnixNano;
            atBoundary = 0;
            for (var i = page.Count - 1; i >= 0 && page[i].TimeUnixNano == oldest; i--)
            {
                atBoundary++;
            }
            if (fresh == 0 && oldest == to - 1)
            {
                Warn(oldest);
                to = oldest;
                atBoundary = 0;
            }
            else
            {
                // The end is exclusive: +1 asks for the oldest timestamp again.
                to = oldest + 1;
            }
        }
        return false;
    }

    private async Task PrintPreviousAsync(long start, long end, int? tail, CancellationToken stop)
    {
        var previous = new PreviousInstances();
        await BackwardAsync(start, end, int.MaxValue, line => previous.Add(line), stop);
        if (previous.Total > 0 && previous.WithId == 0)
        {
            throw new LogsException(
                "--previous: these records carry no kubernetes.docker_id, so a container's instances cannot be told apart " +
                "(the agent adds it when it tails /var/log/containers/*.log); on the node, 'kansoku logs --dir /var/log/pods --previous' reads them exactly");
        }
        var lines = previous.Lines;
        if (lines.Count == 0)
        {
            throw new LogsException("--previous: no previous container instance in the range (a container that never restarted has none; widen --since?)");
        }
        var count = tail is { } n ? Math.Min(n, lines.Count) : lines.Count;
        for (var i = count - 1; i >= 0; i--)
        {
            Print(lines[i]);
        }
        _printer.Flush();
    }

    private void Print(in LogLine line)
    {
        _printer.Write(line);
        _lastPrinted = Math.Max(_lastPrinted, line.TimeUnixNano);
    }

    private void Warn(long time) =>
        _error.WriteLine($"kansoku logs: more than {_batch} entries at one nanosecond ({time}); some were skipped (raise --batch)");

    private long NowUnixNano() => _time.NowNanos();
}
