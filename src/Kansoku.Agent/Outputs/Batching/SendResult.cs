namespace Kansoku.Agent.Outputs.Batching;

/// <summary>What one send attempt achieved.</summary>
/// <param name="Delivered">Records acknowledged by the destination in this attempt.</param>
/// <param name="Dropped">Records the destination refused for good in this attempt (per-item errors).</param>
/// <param name="Remaining">
/// For <see cref="SendOutcome.Retry"/>: the records still to send as NDJSON; null means the whole batch again.
/// The memory must stay valid until the next call to the sink.
/// </param>
/// <param name="RetryAfter">The destination's Retry-After, when it sent one.</param>
internal readonly record struct SendResult(
    SendOutcome Outcome,
    int Delivered,
    int Dropped,
    ReadOnlyMemory<byte>? Remaining,
    int RemainingCount,
    TimeSpan? RetryAfter,
    string? Reason)
{
    public static SendResult Ok(int delivered, int dropped = 0, string? reason = null) =>
        new(SendOutcome.Done, delivered, dropped, null, 0, null, reason);

    public static SendResult RetryAll(string reason, TimeSpan? retryAfter = null) =>
        new(SendOutcome.Retry, 0, 0, null, 0, retryAfter, reason);

    public static SendResult RetrySome(int delivered, int dropped, ReadOnlyMemory<byte> remaining, int remainingCount, string reason) =>
        new(SendOutcome.Retry, delivered, dropped, remaining, remainingCount, null, reason);

    public static SendResult Reject(string reason) => new(SendOutcome.Rejected, 0, 0, null, 0, null, reason);
}
