using System.Text;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Tests.Parsers;

public sealed class SeverityDetectorTests
{
    [Theory]
    [InlineData("trace", nameof(Severity.Debug))]
    [InlineData("DEBUG", nameof(Severity.Debug))]
    [InlineData("dbg", nameof(Severity.Debug))]
    [InlineData("Info", nameof(Severity.Info))]
    [InlineData("information", nameof(Severity.Info))]
    [InlineData("NOTICE", nameof(Severity.Info))]
    [InlineData("warn", nameof(Severity.Warn))]
    [InlineData("Warning", nameof(Severity.Warn))]
    [InlineData("err", nameof(Severity.Error))]
    [InlineData("ERROR", nameof(Severity.Error))]
    [InlineData("SEVERE", nameof(Severity.Error))]
    [InlineData("crit", nameof(Severity.Fatal))]
    [InlineData("critical", nameof(Severity.Fatal))]
    [InlineData("alert", nameof(Severity.Fatal))]
    [InlineData("emerg", nameof(Severity.Fatal))]
    [InlineData("fatal", nameof(Severity.Fatal))]
    [InlineData("panic", nameof(Severity.Fatal))]
    [InlineData("E", nameof(Severity.Error))]
    [InlineData("0", nameof(Severity.Fatal))]
    [InlineData("3", nameof(Severity.Error))]
    [InlineData("4", nameof(Severity.Warn))]
    [InlineData("6", nameof(Severity.Info))]
    [InlineData("7", nameof(Severity.Debug))]
    [InlineData("10", nameof(Severity.Debug))]
    [InlineData("30", nameof(Severity.Info))]
    [InlineData("40", nameof(Severity.Warn))]
    [InlineData("50", nameof(Severity.Error))]
    [InlineData("60", nameof(Severity.Fatal))]
    [InlineData("35", nameof(Severity.Unknown))]
    [InlineData("loud", nameof(Severity.Unknown))]
    [InlineData("", nameof(Severity.Unknown))]
    public void Maps_level_values(string value, string expected)
    {
        Assert.Equal(Enum.Parse<Severity>(expected), SeverityDetector.FromValue(Encoding.UTF8.GetBytes(value)));
    }

    [Theory]
    [InlineData("ERROR something broke", nameof(Severity.Error))]
    [InlineData("error: could not open file", nameof(Severity.Error))]
    [InlineData("[WARN] disk almost full", nameof(Severity.Warn))]
    [InlineData("<info> started", nameof(Severity.Info))]
    [InlineData("level=info msg=\"started\"", nameof(Severity.Info))]
    [InlineData("ts=2024-01-02T03:04:05Z level=warn msg=slow", nameof(Severity.Warn))]
    [InlineData("E1125 08:00:00.123456       1 controller.go:114] sync failed", nameof(Severity.Error))]
    [InlineData("I1125 08:00:00.123456       1 main.go:12] listening", nameof(Severity.Info))]
    [InlineData("W1125 08:00:00.123456       1 main.go:12] retrying", nameof(Severity.Warn))]
    [InlineData("WARNING:root:deprecated call", nameof(Severity.Warn))]
    [InlineData("2024-01-02 03:04:05,123 ERROR [main] failed", nameof(Severity.Error))]
    [InlineData("2024-01-02T03:04:05.123Z  INFO 1 --- [main] c.e.App : Started", nameof(Severity.Info))]
    [InlineData("2024/01/02 03:04:05 [error] 12#12: *1 open() failed", nameof(Severity.Error))]
    [InlineData("03:04:05.123 [main] DEBUG c.e.App - details", nameof(Severity.Debug))]
    [InlineData("user info updated", nameof(Severity.Unknown))]
    [InlineData("GET /api/orders HTTP/1.1 200", nameof(Severity.Unknown))]
    [InlineData("Starting server on :8080", nameof(Severity.Unknown))]
    [InlineData("a b c d e f ERROR", nameof(Severity.Unknown))]
    [InlineData("", nameof(Severity.Unknown))]
    public void Detects_line_prefixes(string line, string expected)
    {
        Assert.Equal(Enum.Parse<Severity>(expected), SeverityDetector.DetectPrefix(Encoding.UTF8.GetBytes(line)));
    }
}
