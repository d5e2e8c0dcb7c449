namespace Kansoku.Agent.Outputs.Batching;

/// <summary>
/// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): the n-th retry
/// waits a uniform random time in [0, min(cap, base·2ⁿ)], so many agents retrying a recovering server spread out.
/// A server's Retry-After wins over the computed delay, even above the cap (the server knows when it will recover),
/// bounded by <see cref="MaxRetryAfter"/> so a bogus header cannot stall the output for hours.
/// </summary>
internal sealed class Backoff
{
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(10);

    private readonly TimeSpan _base;
    private readonly TimeSpan _cap;
    private readonly Random _random;

    public Backoff(TimeSpan backoffBase, TimeSpan cap, Random? random = null)
    {
        _base = backoffBase;
        _cap = cap;
        _random = random ?? Random.Shared;
    }

    /// <param name="attempt">0 for the first retry.</param>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter = null)
    {
        if (retryAfter is { } after && after > TimeSpan.Zero)
        {
            return after < MaxRetryAfter ? after : MaxRetryAfter;
        }
        return TimeSpan.FromTicks((long)(_random.NextDouble() * Ceiling(attempt).Ticks));
    }

    /// <summary>The upper bound of the jittered delay for <paramref name="attempt"/>.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var exponent = Math.Min(attempt, 30);
        var ticks = _base.Ticks * (double)(1L << exponent);
        return ticks >= _cap.Ticks ? _cap : TimeSpan.FromTicks((long)ticks);
    }
}
