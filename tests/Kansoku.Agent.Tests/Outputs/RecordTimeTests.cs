using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Agent.Outputs.Records;

namespace Kansoku.Agent.Tests.Outputs;

public sealed class RecordTimeTests
{
    private static long? Parse(string text) => RecordTime.TryParseUnixNanos(Encoding.UTF8.GetBytes(text), out var nanos) ? nanos : null;

    [Theory]
    [InlineData("1970-01-01T00:00:00Z", 0L)]
    [InlineData("2026-11-25T08:00:00.123456789Z", 1795593600123456789L)]
    [InlineData("2026-11-25T08:00:00.5Z", 1795593600500000000L)]
    [InlineData("2026-11-25T09:00:00+01:00", 1795593600000000000L)]
    [InlineData("2026-11-25T07:30:00-0030", 1795593600000000000L)]
    [InlineData("2026-11-25t08:00:00.1234567891z", 1795593600123456789L)]
    [InlineData("1969-12-31T23:59:59.5Z", -500000000L)]
    public void Parses_rfc3339(string text, long expected) => Assert.Equal(expected, Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("2026-11-25")]
    [InlineData("2026-11-25T08:00:00")]
    [InlineData("2026-13-25T08:00:00Z")]
    [InlineData("2026-02-30T08:00:00Z")]
    [InlineData("2026-11-25T08:00:00.Z")]
    [InlineData("2026-11-25T08:00:00+1:00")]
    [InlineData("not a time at all!!!")]
    public void Rejects_malformed(string text) => Assert.Null(Parse(text));

    [Property(MaxTest = 300)]
    public Property Agrees_with_DateTimeOffset() =>
        Prop.ForAll(
            Gen.Choose(0, int.MaxValue).Select(s => DateTimeOffset.FromUnixTimeSeconds(s * 2L)).ToArbitrary(),
            Gen.Choose(0, 999_999_999).ToArbitrary(),
            Gen.Choose(-14 * 60, 14 * 60).ToArbitrary(),
            (instant, nanos, offsetMinutes) =>
            {
                var local = instant.ToOffset(TimeSpan.FromMinutes(offsetMinutes));
                var zone = offsetMinutes == 0 ? "Z" : local.ToString("zzz", CultureInfo.InvariantCulture);
                var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture) + zone;
                return Parse(text) == instant.ToUnixTimeSeconds() * 1_000_000_000L + nanos;
            });
}
