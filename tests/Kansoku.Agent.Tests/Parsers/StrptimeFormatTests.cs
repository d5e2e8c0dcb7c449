using System.Text;
using Kansoku.Agent.Parsers.Time;

namespace Kansoku.Agent.Tests.Parsers;

public sealed class StrptimeFormatTests
{
    // 2024-01-02T03:04:05Z
    private const long Base = 1704164645L * 1_000_000_000L;

    [Theory]
    // The seed's parsers.conf formats.
    [InlineData("%Y-%m-%dT%H:%M:%S.%L%z", "2024-01-02T03:04:05.123+0000", 123_000_000)]
    [InlineData("%Y-%m-%dT%H:%M:%S.%L%z", "2024-01-02T12:04:05.123+09:00", 123_000_000)]
    [InlineData("%Y-%m-%dT%H:%M:%S.%L%z", "2024-01-02T03:04:05.123456Z", 123_456_000)]
    [InlineData("%Y-%m-%dT%H:%M:%S.%L%z", "2024-01-02T03:04:05Z", 0)]
    [InlineData("%Y-%m-%d %H:%M:%S.%L %Z", "2024-01-02 03:04:05.123 UTC", 123_000_000)]
    [InlineData("%Y-%m-%d %H:%M:%S.%L %Z", "2024-01-02 12:04:05.123 JST", 123_000_000)]
    [InlineData("%Y-%m-%d %H:%M:%S.%L %Z", "2024-01-02 03:04:05.123 XYZT", 123_000_000)]
    [InlineData("%Y-%m-%d %H:%M:%S.%L %Z", "2024-01-02 12:04:05.123 +09", 123_000_000)]
    // Common application and server formats.
    [InlineData("%d/%b/%Y:%H:%M:%S %z", "02/Jan/2024:04:04:05 +0100", 0)]
    [InlineData("%a, %d %b %Y %T %Z", "Tue, 02 Jan 2024 03:04:05 GMT", 0)]
    [InlineData("%A %B %e %T %Y", "Tuesday January  2 03:04:05 2024", 0)]
    [InlineData("%F %T,%L", "2024-01-02 03:04:05,007", 7_000_000)]
    [InlineData("%D %I:%M:%S %p", "01/02/24 03:04:05 AM", 0)]
    [InlineData("%Y %j %R:%S", "2024 002 03:04:05", 0)]
    [InlineData("%s", "1704164645", 0)]
    [InlineData("%s.%L", "1704164645.5", 500_000_000)]
    [InlineData("%Y%m%d%H%M%S", "20240102030405", 0)]
    [InlineData("[%Y-%m-%d %H:%M:%S] 100%%", "[2024-01-02 03:04:05] 100%", 0)]
    [InlineData("%Y-%m-%dT%H:%M:%S%z", "2024-01-02T03:04:05Z  ", 0)]
    public void Parses(string format, string text, long offsetFromBase)
    {
        Assert.True(StrptimeFormat.Compile(format).TryParse(Encoding.UTF8.GetBytes(text), 0, out var nanos));
        Assert.Equal(Base + offsetFromBase, nanos);
    }

    [Fact]
    public void Pm_hours()
    {
        Assert.True(StrptimeFormat.Compile("%Y-%m-%d %I:%M %p").TryParse("2024-01-02 12:30 pm"u8, 0, out var noon));
        Assert.True(StrptimeFormat.Compile("%Y-%m-%d %I:%M %p").TryParse("2024-01-02 12:30 AM"u8, 0, out var midnight));
        Assert.Equal(12L * 3600 * 1_000_000_000, noon - midnight);
    }

    [Fact]
    public void Time_offset_applies_only_without_a_zone()
    {
        var format = StrptimeFormat.Compile("%Y-%m-%d %H:%M:%S");
        Assert.True(format.TryParse("2024-01-02 12:04:05"u8, 9 * 3600, out var nanos));
        Assert.Equal(Base, nanos);
        var zoned = StrptimeFormat.Compile("%Y-%m-%d %H:%M:%S %z");
        Assert.True(zoned.TryParse("2024-01-02 03:04:05 +0000"u8, 9 * 3600, out nanos));
        Assert.Equal(Base, nanos);
    }

    [Fact]
    public void Missing_year_is_the_current_year()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var format = StrptimeFormat.Compile("%b %e %H:%M:%S", clock);
        Assert.True(format.TryParse("Jan  2 03:04:05"u8, 0, out var nanos));
        Assert.Equal(Base, nanos);
    }

    [Theory]
    [InlineData("%Y-%m-%d", "2024-01-02x")]
    [InlineData("%Y-%m-%d", "2024/01/02")]
    [InlineData("%Y-%m-%d", "2024-02-30")]
    [InlineData("%H:%M:%S", "25:00:00")]
    [InlineData("%b", "Foo")]
    [InlineData("%z", "+9")]
    [InlineData("%Y-%m-%dT%H:%M:%S.%L", "2024-01-02T03:04:05.")]
    [InlineData("%j", "400")]
    public void Rejects(string format, string text)
    {
        Assert.False(StrptimeFormat.Compile(format).TryParse(Encoding.UTF8.GetBytes(text), 0, out _));
    }

    [Theory]
    [InlineData("%Y-%m-%d %Q")]
    [InlineData("%Y%")]
    public void Unsupported_directives_fail_at_compile_time(string format)
    {
        Assert.Throws<FormatException>(() => StrptimeFormat.Compile(format));
    }
}
