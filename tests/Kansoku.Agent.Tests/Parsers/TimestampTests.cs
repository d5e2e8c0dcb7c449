using System.Text;
using FsCheck.Xunit;
using Kansoku.Agent.Parsers.Time;

namespace Kansoku.Agent.Tests.Parsers;

public sealed class TimestampTests
{
    // 2024-01-02T03:04:05Z
    private const long Base = 1704164645L * 1_000_000_000L;

    [Theory]
    [InlineData("2024-01-02T03:04:05Z", 0)]
    [InlineData("2024-01-02T03:04:05.123Z", 123_000_000)]
    [InlineData("2024-01-02t03:04:05.000000001z", 1)]
    [InlineData("2024-01-02T12:04:05+09:00", 0)]
    [InlineData("2024-01-01T22:04:05.5-05:00", 500_000_000)]
    [InlineData("2024-01-02T03:04:05.1234567891234Z", 123_456_789)]
    public void Rfc3339_strict(string text, long offsetFromBase)
    {
        Assert.True(Rfc3339.TryParse(Encoding.ASCII.GetBytes(text), out var nanos));
        Assert.Equal(Base + offsetFromBase, nanos);
    }

    [Theory]
    [InlineData("2024-01-02 03:04:05Z")]
    [InlineData("2024-01-02T03:04:05")]
    [InlineData("2024-01-02T03:04:05+0900")]
    [InlineData("2024-01-02T03:04:05.Z")]
    [InlineData("2024-01-02T03:04:05Z ")]
    [InlineData("2024-01-02T24:04:05Z")]
    [InlineData("1500-01-02T03:04:05Z")]
    public void Rfc3339_strict_rejects(string text)
    {
        Assert.False(Rfc3339.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("2024-01-02T03:04:05Z", 0)]
    [InlineData("2024-01-02 03:04:05", 0)]
    [InlineData("2024-01-02 03:04:05,250", 250_000_000)]
    [InlineData("2024-01-02T12:04:05.123+09:00", 123_000_000)]
    [InlineData("2024-01-02T12:04:05+0900", 0)]
    [InlineData("2024-01-02T12:04:05+09", 0)]
    [InlineData("2024-01-02 03:04:05 UTC", 0)]
    [InlineData("2024/01/02 03:04:05", 0)]
    [InlineData("1704164645", 0)]
    [InlineData("1704164645.25", 250_000_000)]
    [InlineData("1704164645123", 123_000_000)]
    [InlineData("1704164645123456", 123_456_000)]
    [InlineData("1704164645123456789", 123_456_789)]
    [InlineData(" 1704164645 ", 0)]
    public void Recognised_without_configuration(string text, long offsetFromBase)
    {
        Assert.True(TimestampDetector.TryParse(Encoding.ASCII.GetBytes(text), 0, out var nanos));
        Assert.Equal(Base + offsetFromBase, nanos);
    }

    [Fact]
    public void Zoneless_times_use_the_default_offset()
    {
        Assert.True(TimestampDetector.TryParse("2024-01-02 12:04:05"u8, 9 * 3600, out var nanos));
        Assert.Equal(Base, nanos);
        Assert.True(TimestampDetector.TryParse("2024-01-02 03:04:05Z"u8, 9 * 3600, out nanos));
        Assert.Equal(Base, nanos);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("12:04:05")]
    [InlineData("1704164645.")]
    [InlineData("-1704164645")]
    [InlineData("99999999999999999999999")]
    [InlineData("2024-01-02 03:04")]
    public void Unrecognised_text(string text)
    {
        Assert.False(TimestampDetector.TryParse(Encoding.ASCII.GetBytes(text), 0, out _));
    }

    [Property(MaxTest = 500)]
    public bool Format_then_parse_round_trips(long nanos)
    {
        // Anything a long holds that stays inside whole years 1678-2261.
        var time = (long)((decimal)nanos % 9_000_000_000_000_000_000m);
        Span<byte> buffer = stackalloc byte[Rfc3339.MaxFormattedLength];
        var written = Rfc3339.Format(time, buffer);
        return Rfc3339.TryParse(buffer[..written], out var strict) && strict == time
            && TimestampDetector.TryParse(buffer[..written], 0, out var detected) && detected == time;
    }

    [Property(MaxTest = 300)]
    public bool Parsers_never_throw(byte[] text)
    {
        _ = Rfc3339.TryParse(text, out _);
        _ = TimestampDetector.TryParse(text, 3600, out _);
        _ = StrptimeFormat.Compile("%Y-%m-%dT%H:%M:%S.%L%z").TryParse(text, 0, out _);
        return true;
    }

    [Fact]
    public void Format_matches_go_rfc3339nano()
    {
        Span<byte> buffer = stackalloc byte[Rfc3339.MaxFormattedLength];
        Assert.Equal("2024-01-02T03:04:05Z", Encoding.ASCII.GetString(buffer[..Rfc3339.Format(Base, buffer)]));
        Assert.Equal("2024-01-02T03:04:05.12Z", Encoding.ASCII.GetString(buffer[..Rfc3339.Format(Base + 120_000_000, buffer)]));
        Assert.Equal("1969-12-31T23:59:59.999999999Z", Encoding.ASCII.GetString(buffer[..Rfc3339.Format(-1, buffer)]));
    }
}
