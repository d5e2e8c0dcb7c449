using System.Text;
using FsCheck.Xunit;
using Kansoku.Server.Prometheus;

namespace Kansoku.Server.Tests.Prometheus;

public sealed class ApiTimeTests
{
    [Theory]
    [InlineData("1700000000", 1_700_000_000_000L)]
    [InlineData("1700000000.123", 1_700_000_000_123L)]
    [InlineData("1700000000.1236", 1_700_000_000_124L)]
    [InlineData("-1.5", -1_500L)]
    [InlineData("1e3", 1_000_000L)]
    [InlineData("2023-11-14T22:13:20Z", 1_700_000_000_000L)]
    [InlineData("2023-11-14T22:13:20.5Z", 1_700_000_000_500L)]
    [InlineData("2023-11-14T23:13:20.123456789+01:00", 1_700_000_000_123L)]
    [InlineData("1969-12-31T23:59:59.9995Z", -1L)]
    [InlineData("-292273086-05-16T16:47:06Z", ApiTime.MinTimeMs)]
    [InlineData("292277025-08-18T07:12:54.999999999Z", ApiTime.MaxTimeMs)]
    public void Times_are_float_seconds_or_rfc3339(string text, long expected)
    {
        Assert.True(ApiTime.TryParseTime(text, out var milliseconds));
        Assert.Equal(expected, milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("now")]
    [InlineData("NaN")]
    [InlineData("2023-11-14 22:13:20")]
    [InlineData("1e300")]
    public void Other_times_are_refused(string text) => Assert.False(ApiTime.TryParseTime(text, out _));

    [Theory]
    [InlineData("15", 15_000L)]
    [InlineData("0.5", 500L)]
    [InlineData("-3", -3_000L)]
    [InlineData("0", 0L)]
    [InlineData("5m", 300_000L)]
    [InlineData("1h30m", 5_400_000L)]
    [InlineData("1y2w3d4h5m6s7ms", 31_536_000_000L + 1_209_600_000 + 259_200_000 + 14_400_000 + 300_000 + 6_000 + 7)]
    public void Durations_are_float_seconds_or_prometheus_durations(string text, long expected) =>
        Assert.Equal(expected, ApiTime.ParseDurationParameter(text, "step"));

    [Theory]
    [InlineData("", "invalid parameter \"step\": cannot parse \"\" to a valid duration")]
    [InlineData("5", null)]
    [InlineData("m5", "invalid parameter \"step\": cannot parse \"m5\" to a valid duration")]
    [InlineData("30m1h", "invalid parameter \"step\": cannot parse \"30m1h\" to a valid duration")]
    [InlineData("1e10", "invalid parameter \"step\": cannot parse \"1e10\" to a valid duration. It overflows int64")]
    public void Bad_durations_use_prometheus_wording(string text, string? error)
    {
        if (error is null)
        {
            Assert.Equal(5_000, ApiTime.ParseDurationParameter(text, "step"));
            return;
        }
        var exception = Assert.Throws<PrometheusApiException>(() => ApiTime.ParseDurationParameter(text, "step"));
        Assert.Equal((PrometheusErrorType.BadData, error), (exception.Type, exception.Message));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(15_000L, "15s")]
    [InlineData(90_000L, "1m30s")]
    [InlineData(7_776_000_000L, "90d")]
    [InlineData(1_209_600_000L, "2w")]
    [InlineData(31_536_000_000L, "1y")]
    [InlineData(3_600_001L, "1h1ms")]
    public void Durations_print_like_prometheus(long milliseconds, string expected) =>
        Assert.Equal(expected, PrometheusDuration.Format(milliseconds));

    [Property]
    public bool Printed_durations_parse_back(uint milliseconds) =>
        PrometheusDuration.TryParse(PrometheusDuration.Format(milliseconds), out var parsed, out _) && parsed == milliseconds;

    [Theory]
    [InlineData(1_700_000_000_000L, "1700000000")]
    [InlineData(1_700_000_000_500L, "1700000000.500")]
    [InlineData(1_700_000_000_007L, "1700000000.007")]
    [InlineData(-1_500L, "-1.500")]
    [InlineData(0L, "0")]
    [InlineData(long.MinValue, "-9223372036854775.808")]
    public void Timestamps_are_seconds_with_three_decimals(long milliseconds, string expected)
    {
        var buffer = new byte[ApiTime.MaxTimestampLength];
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer, 0, ApiTime.FormatTimestamp(milliseconds, buffer)));
    }
}
