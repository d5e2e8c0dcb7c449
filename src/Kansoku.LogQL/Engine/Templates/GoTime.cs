namespace Kansoku.LogQL.Engine.Templates;

/// <summary>A Go <c>time.Time</c> in templates: an instant (Unix seconds and nanoseconds) and the zone it is shown in.</summary>
internal readonly record struct GoTime(long UnixSeconds, int Nanosecond, TimeZoneInfo Zone)
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>Go's zero time, 0001-01-01 00:00:00 UTC (what failed parses return).</summary>
    public static GoTime Zero { get; } = new(-62135596800, 0, TimeZoneInfo.Utc);

    public static GoTime FromUnixNanos(long nanos)
    {
        var seconds = nanos / NanosPerSecond;
        var remainder = nanos % NanosPerSecond;
        if (remainder < 0)
        {
            seconds--;
            remainder += NanosPerSecond;
        }
        return new GoTime(seconds, (int)remainder, TimeZoneInfo.Utc);
    }

    /// <summary>Go's <c>UnixNano()</c>, which wraps around outside the years 1678 to 2262 as Go's does.</summary>
    public long UnixNanos => unchecked(UnixSeconds * NanosPerSecond + Nanosecond);

    public long UnixMillis => UnixSeconds * 1000 + Nanosecond / 1_000_000;

    public TimeSpan Offset => Zone.GetUtcOffset(UtcDateTime);

    /// <summary>The wall clock in <see cref="Zone"/> to the second (<see cref="Nanosecond"/> carries the rest).</summary>
    public DateTime Local => DateTime.SpecifyKind(UtcDateTime + Offset, DateTimeKind.Unspecified);

    private DateTime UtcDateTime
    {
        get
        {
            var ticks = DateTime.UnixEpoch.Ticks + Math.Clamp(UnixSeconds, -62135596800, 253402300799) * TimeSpan.TicksPerSecond;
            return new DateTime(ticks, DateTimeKind.Utc);
        }
    }

    /// <summary>Go's <c>Time.String()</c>: <c>2006-01-02 15:04:05.999999999 -0700 MST</c>.</summary>
    public override string ToString() => GoTimeLayout.Format(this, "2006-01-02 15:04:05.999999999 -0700 MST");
}
