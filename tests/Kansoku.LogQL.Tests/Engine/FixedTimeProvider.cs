namespace Kansoku.LogQL.Tests.Engine;

/// <summary>
/// A clock stopped at one instant. With <see cref="ExpireTimers"/>, every timer fires at once: a query deadline built
/// on it has already passed, which tests timeouts without waiting.
/// </summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public bool ExpireTimers { get; init; }

    public override DateTimeOffset GetUtcNow() => now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (ExpireTimers)
        {
            callback(state);
        }
        return new StoppedTimer();
    }

    private sealed class StoppedTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
