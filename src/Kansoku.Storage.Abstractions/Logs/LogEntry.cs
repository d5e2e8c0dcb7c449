namespace Kansoku.Storage.Logs;

/// <summary>One log line of a stream: when it happened (nanoseconds since the Unix epoch, UTC) and its bytes (UTF-8).</summary>
public readonly record struct LogEntry(long TimestampUnixNano, ReadOnlyMemory<byte> Line);
