namespace Kansoku.Testing;

/// <summary>Polling for a condition that another thread or process makes true, with a deadline instead of a sleep.</summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, int timeoutMs = 10_000, Func<string>? describe = null)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException(describe?.Invoke() ?? "condition not met in time");
            }
            await Task.Delay(10);
        }
    }
}
