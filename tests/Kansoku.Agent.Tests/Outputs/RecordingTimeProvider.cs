using System.Collections.Concurrent;

namespace Kansoku.Agent.Tests.Outputs;

/// <summary>
/// System time, except that timers due within 30 s (retry waits) fire after 1 ms; every requested due time is
/// recorded so a test can check what the code asked to wait without waiting it.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    public ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        DueTimes.Enqueue(dueTime);
        var shortened = dueTime > TimeSpan.Zero && dueTime < TimeSpan.FromSeconds(30) ? TimeSpan.FromMilliseconds(1) : dueTime;
        return base.CreateTimer(callback, state, shortened, period);
    }
}
