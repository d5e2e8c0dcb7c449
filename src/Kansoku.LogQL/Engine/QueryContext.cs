using Kansoku.LogQL.Engine.Pipeline;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Engine;

/// <summary>
/// Everything one query evaluation shares: the store, limits, the clock, the deadline and cancellation, statistics
/// and the label list cache. Not thread-safe: one query runs on one thread.
/// </summary>
internal sealed class QueryContext : IDisposable
{
    private const int CheckEvery = 1024;

    private readonly CancellationToken _caller;
    private readonly CancellationTokenSource _timeout;
    private int _untilCheck = CheckEvery;

    public QueryContext(ILogQuerier querier, string query, LogQLEngineOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        Querier = querier;
        Options = options;
        Clock = clock;
        _caller = cancellationToken;
        _timeout = new CancellationTokenSource(options.QueryTimeout, clock);
        Compiler = new PipelineCompiler(query, clock);
    }

    public ILogQuerier Querier { get; }

    public LogQLEngineOptions Options { get; }

    public TimeProvider Clock { get; }

    public PipelineCompiler Compiler { get; }

    public LabelListCache Labels { get; } = new();

    public QueryStatistics Statistics { get; } = new();

    /// <summary>Counts one entry read; every so often checks the deadline and cancellation.</summary>
    public void CountEntry(int bytes)
    {
        Statistics.EntriesScanned++;
        Statistics.BytesScanned += bytes;
        if (--_untilCheck == 0)
        {
            _untilCheck = CheckEvery;
            ThrowIfCancelled();
        }
    }

    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    /// <exception cref="LogQLEvaluationException">The query ran out of time.</exception>
    public void ThrowIfCancelled()
    {
        _caller.ThrowIfCancellationRequested();
        if (_timeout.IsCancellationRequested)
        {
            throw new LogQLEvaluationException(LogQLErrorKind.Timeout,
                $"query timed out after {Go.GoDurationFormat.Format(Options.QueryTimeout)}: context deadline exceeded");
        }
    }

    public void Dispose() => _timeout.Dispose();
}
