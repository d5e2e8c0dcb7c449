namespace Kansoku.Core.Threading;

/// <summary>
/// A broadcast wake-up: waiters take <see cref="Current"/> before checking their condition, so a change that
/// happens after the check still completes the task they await. Every <see cref="Pulse"/> wakes all waiters once.
/// </summary>
public sealed class AsyncPulse
{
    private TaskCompletionSource _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref _source).Task;

    public void Pulse()
    {
        var previous = Interlocked.Exchange(ref _source, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
