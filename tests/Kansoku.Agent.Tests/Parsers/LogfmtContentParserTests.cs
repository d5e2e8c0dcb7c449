using FsCheck.Xunit;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Pipeline;
using static Kansoku.Agent.Tests.Parsers.ParserSpecs;

namespace Kansoku.Agent.Tests.Parsers;

public sealed class LogfmtContentParserTests
{
    [Theory]
    [InlineData("a=1 b=two", """{"a":"1","b":"two"}""")]
    [InlineData("msg=\"hello \\\"quoted\\\" world\" n=1", """{"msg":"hello \"quoted\" world","n":"1"}""")]
    [InlineData("msg=\"line\\nbreak \\u00e9\" flag", """{"msg":"line\nbreak é","flag":true}""")]
    [InlineData("  key=  other=x ", """{"key":"","other":"x"}""")]
    [InlineData("path=/a=b/c", """{"path":"/a=b/c"}""")]
    [InlineData("text=日本語 x=\"é\"", """{"text":"日本語","x":"é"}""")]
    public void Parses_pairs(string content, string fields)
    {
        var record = Record(content);
        Assert.True(ParserFactory.CreateBuiltIn("logfmt")!.TryParse(record));
        Assert.Equal(fields, Fields(record));
    }

    [Theory]
    [InlineData("just a sentence")]
    [InlineData("msg=\"unterminated")]
    [InlineData("msg=\"x\"y")]
    [InlineData("=value")]
    [InlineData("")]
    public void Rejects(string content)
    {
        Assert.False(ParserFactory.CreateBuiltIn("logfmt")!.TryParse(Record(content)));
    }

    [Fact]
    public void Time_level_and_types()
    {
        var parser = Create(("Name", "lf"), ("Format", "logfmt"), ("Time_Key", "ts"), ("Types", "status:integer dur:float"));
        var record = Record("ts=2024-01-02T03:04:05.5Z level=WARN status=503 dur=1.5 msg=\"upstream slow\"");
        Assert.True(parser.TryParse(record));
        Assert.Equal(1704164645500000000, record.TimeUnixNano);
        Assert.Equal(Severity.Warn, record.Severity);
        Assert.True(record.LevelInFields);
        Assert.Equal("""{"level":"warn","status":503,"dur":1.5,"msg":"upstream slow"}""", Fields(record));
    }

    [Fact]
    public void No_bare_keys_option_rejects_flags()
    {
        var parser = Create(("Name", "lf"), ("Format", "logfmt"), ("Logfmt_No_Bare_Keys", "On"));
        Assert.False(parser.TryParse(Record("a=1 flag")));
        Assert.True(parser.TryParse(Record("a=1 b=2")));
    }

    [Property(MaxTest = 500)]
    public bool Never_throws_on_arbitrary_bytes(byte[] content)
    {
        var record = new LogRecord { Content = content };
        if (ParserFactory.CreateBuiltIn("logfmt")!.TryParse(record))
        {
            // Whatever was accepted must be a JSON object the writer can splice.
            return record.Fields is not null;
        }
        return !record.HasFields;
    }

    [Property(MaxTest = 300)]
    public bool Quoted_values_round_trip(string value)
    {
        value ??= "";
        if (value.Any(char.IsSurrogate))
        {
            return true;
        }
        var quoted = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
        var record = Record($"k=\"{quoted}\"");
        return ParserFactory.CreateBuiltIn("logfmt")!.TryParse(record) && record.Fields["k"]!.GetValue<string>() == value;
    }
}
