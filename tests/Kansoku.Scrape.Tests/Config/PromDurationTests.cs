using Kansoku.Scrape.Config;

namespace Kansoku.Scrape.Tests.Config;

public sealed class PromDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("15s", 15_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("2w", 1_209_600_000)]
    [InlineData("1y", 31_536_000_000)]
    [InlineData("1m30s500ms", 90_500)]
    [InlineData("250ms", 250)]
    public void Parses_prometheus_durations(string text, long millis)
    {
        Assert.True(PromDuration.TryParse(text, out var duration, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(millis), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.5s")]
    [InlineData("30s1m")]
    [InlineData("1h1h")]
    [InlineData("-1s")]
    [InlineData("1us")]
    [InlineData("s")]
    public void Refuses_what_prometheus_refuses(string text)
    {
        Assert.False(PromDuration.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(15_000, "15s")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(7_776_000_000, "90d")]
    [InlineData(1_209_600_000, "2w")]
    [InlineData(90_500, "1m30s500ms")]
    public void Formats_as_prometheus_does(long millis, string text)
    {
        Assert.Equal(text, PromDuration.Format(TimeSpan.FromMilliseconds(millis)));
    }
}
