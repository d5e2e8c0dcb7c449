namespace Kansoku.RemoteWrite.Sender;

/// <summary>What one attempt to send a batch came to.</summary>
internal readonly record struct SendOutcome(SendStatus Status, string? Error, TimeSpan? RetryAfter)
{
    public static SendOutcome Sent { get; } = new(SendStatus.Sent, null, null);

    public static SendOutcome Retry(string error, TimeSpan? retryAfter = null) => new(SendStatus.Recoverable, error, retryAfter);

    public static SendOutcome Fail(string error) => new(SendStatus.Unrecoverable, error, null);
}

internal enum SendStatus
{
    Sent,

    /// <summary>Network errors, timeouts, 5xx and (when enabled) 429: the same batch is sent again after a backoff.</summary>
    Recoverable,

    /// <summary>Any other non-2xx answer (the receiver refused the data itself): the batch is dropped.</summary>
    Unrecoverable,
}
