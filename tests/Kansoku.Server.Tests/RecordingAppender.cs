using Kansoku.Storage.Logs;

namespace Kansoku.Server.Tests;

/// <summary>An appender that keeps what it is given, or refuses as an overloaded store does.</summary>
internal sealed class RecordingAppender : ILogAppender
{
    private readonly Lock _lock = new();

    public List<LogStreamBatch> Streams { get; } = [];

    public TimeSpan? Overloaded { get; set; }

    public ValueTask AppendAsync(IReadOnlyList<LogStreamBatch> streams, CancellationToken cancellationToken)
    {
        if (Overloaded is { } retryAfter)
        {
            throw new LogStoreOverloadedException("write queue full", retryAfter);
        }
        lock (_lock)
        {
            Streams.AddRange(streams);
        }
        return ValueTask.CompletedTask;
    }
}
