namespace Kansoku.Core.Time;

/// <summary>Time as logs and samples carry it here: nanoseconds since the Unix epoch, UTC.</summary>
public static class UnixTime
{
    public static long NowNanos(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
    }
}
