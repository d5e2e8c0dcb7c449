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
            foreach (var stream in streams)
            {
                Streams.Add(Copy(stream));
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The lines are views of request buffers that are reused once the append completed (the ILogAppender contract).</summary>
    private static LogStreamBatch Copy(LogStreamBatch stream)
    {
        var copy = new LogStreamBatch(stream.Labels);
        copy.Entries.Capacity = stream.Entries.Count;
        foreach (var entry in stream.Entries)
        {
            copy.Entries.Add(entry with { Line = entry.Line.ToArray() });
        }
        return copy;
    }
}
