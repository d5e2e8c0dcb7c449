namespace Kansoku.LogStore.Tests;

/// <summary>A clock the test sets; timers still run on real time.</summary>
internal sealed class ManualTime : TimeProvider
{
    public ManualTime(DateTimeOffset now)
    {
        Now = now;
    }

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}
