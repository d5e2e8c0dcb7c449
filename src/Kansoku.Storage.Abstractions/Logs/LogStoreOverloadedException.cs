namespace Kansoku.Storage.Logs;

/// <summary>The store is behind (write queue full): the client should retry after <see cref="RetryAfter"/>.</summary>
public sealed class LogStoreOverloadedException : Exception
{
    public LogStoreOverloadedException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan RetryAfter { get; }
}
