using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Pipeline;
using static Kansoku.Agent.Tests.Parsers.ParserSpecs;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Parsers;

public sealed class JsonContentParserTests
{
    private static readonly IContentParser s_webapp =
        ParserFactory.Create(LoadParsersFile(RepositoryPaths.Shared("seed", "configs", "parsers.conf"))["webapp_json"]);

    [Fact]
    public void Seed_webapp_json_keeps_time_and_shares_the_content_bytes()
    {
        var record = Record("""{"timestamp":"2024-01-02T12:04:05.123+09:00","level":"info","message":"GET /orders","status":200}""");
        Assert.True(s_webapp.TryParse(record));
        Assert.Equal(1704164645123000000, record.TimeUnixNano);
        Assert.Equal(Severity.Info, record.Severity);
        Assert.True(record.LevelInFields);
        Assert.True(record.TryGetRawFields(out var raw));
        // Time_Keep On and a normalised level: the fields are the content itself, not a copy.
        Assert.True(MemoryMarshal.TryGetArray(raw, out var fieldsArray));
        Assert.True(MemoryMarshal.TryGetArray(record.Content, out var contentArray));
        Assert.Same(contentArray.Array, fieldsArray.Array);
        Assert.Equal("GET /orders", record.Fields["message"]!.GetValue<string>());
    }

    [Fact]
    public void Time_keep_off_removes_the_time_key()
    {
        var parser = Create(("Name", "j"), ("Format", "json"), ("Time_Key", "time"));
        var cases = new Dictionary<string, string>
        {
            ["""{"time":"2024-01-02T03:04:05Z","msg":"a"}"""] = """{"msg":"a"}""",
            ["""{"msg":"a", "time":"2024-01-02T03:04:05Z"}"""] = """{"msg":"a"}""",
            ["""{"a":1,"time":"2024-01-02T03:04:05Z","b":2}"""] = """{"a":1,"b":2}""",
            ["""{"time":"2024-01-02T03:04:05Z"}"""] = """{}""",
            ["""  {"time" : 1704164645 , "x":{"time":"nested stays"}}  """] = """{"x":{"time":"nested stays"}}""",
        };
        foreach (var (input, expected) in cases)
        {
            var record = Record(input);
            Assert.True(parser.TryParse(record), input);
            Assert.Equal(1704164645000000000, record.TimeUnixNano);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(Fields(record))), Fields(record));
        }
    }

    [Fact]
    public void Unparsable_time_stays_in_the_fields_and_leaves_the_record_time()
    {
        var parser = Create(("Name", "j"), ("Format", "json"), ("Time_Key", "time"), ("Time_Format", "%Y-%m-%d"));
        var record = Record("""{"time":"not a date","msg":"x"}""", time: 7);
        Assert.True(parser.TryParse(record));
        Assert.Equal(7, record.TimeUnixNano);
        Assert.Equal("""{"time":"not a date","msg":"x"}""", Fields(record));
    }

    [Theory]
    [InlineData("""{"level":"INFO","msg":"x"}""", """{"level":"info","msg":"x"}""", nameof(Severity.Info), true)]
    [InlineData("""{"level":30,"msg":"x"}""", """{"level":"info","msg":"x"}""", nameof(Severity.Info), true)]
    [InlineData("""{"msg":"x","level":"Warning"}""", """{"msg":"x","level":"warn"}""", nameof(Severity.Warn), true)]
    [InlineData("""{"level":"\u0045RROR"}""", """{"level":"error"}""", nameof(Severity.Error), true)]
    [InlineData("""{"severity":"ERROR","msg":"x"}""", """{"severity":"ERROR","msg":"x"}""", nameof(Severity.Error), false)]
    [InlineData("""{"lvl":"dbg"}""", """{"lvl":"dbg"}""", nameof(Severity.Debug), false)]
    [InlineData("""{"log_level":"crit"}""", """{"log_level":"crit"}""", nameof(Severity.Fatal), false)]
    [InlineData("""{"level":"verbose-ish"}""", """{"level":"verbose-ish"}""", nameof(Severity.Unknown), false)]
    [InlineData("""{"severity":"warn","level":"error"}""", """{"severity":"warn","level":"error"}""", nameof(Severity.Error), true)]
    public void Level_fields(string input, string fields, string severity, bool levelInFields)
    {
        var parser = ParserFactory.CreateBuiltIn("json")!;
        var record = Record(input);
        Assert.True(parser.TryParse(record));
        Assert.Equal(fields, Fields(record));
        Assert.Equal(Enum.Parse<Severity>(severity), record.Severity);
        Assert.Equal(levelInFields, record.LevelInFields);
    }

    [Fact]
    public void Time_removal_and_level_rewrite_together()
    {
        var parser = Create(("Name", "j"), ("Format", "json"), ("Time_Key", "ts"));
        var record = Record("""{"ts":1704164645.5,"level":"WARNING","msg":"日本語"}""");
        Assert.True(parser.TryParse(record));
        Assert.Equal("""{"level":"warn","msg":"日本語"}""", Fields(record));
        Assert.Equal(1704164645500000000, record.TimeUnixNano);
    }

    [Fact]
    public void Built_in_json_recognises_common_time_keys()
    {
        var parser = ParserFactory.CreateBuiltIn("json")!;
        foreach (var input in new[]
        {
            """{"time":"2024-01-02T03:04:05Z"}""",
            """{"timestamp":"2024-01-02 12:04:05+09:00"}""",
            """{"ts":1704164645000}""",
            """{"@timestamp":"2024-01-02T03:04:05.000Z"}""",
        })
        {
            var record = Record(input);
            Assert.True(parser.TryParse(record), input);
            Assert.Equal(1704164645000000000, record.TimeUnixNano);
            Assert.Equal(input, Fields(record));
        }
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"a":1""")]
    [InlineData("""{"a":1}{"b":2}""")]
    [InlineData("""{"a":1,}""")]
    [InlineData("""{"a":1} trailing""")]
    [InlineData("")]
    public void Rejects_content_that_is_not_one_object(string content)
    {
        var record = Record(content);
        Assert.False(ParserFactory.CreateBuiltIn("json")!.TryParse(record));
        Assert.False(record.HasFields);
    }

    [Fact]
    public void Rejects_invalid_utf8_inside_strings()
    {
        byte[] content = [.. "{\"a\":\""u8, 0xFF, 0xFE, .. "\"}"u8];
        var record = new LogRecord { Content = content };
        Assert.False(ParserFactory.CreateBuiltIn("json")!.TryParse(record));
    }

    [Property(MaxTest = 300)]
    public bool Never_throws_on_arbitrary_bytes(byte[] content)
    {
        var record = new LogRecord { Content = content };
        ParserFactory.CreateBuiltIn("json")!.TryParse(record);
        var wrapped = new LogRecord { Content = Encoding.UTF8.GetBytes("{\"level\":\"" + Convert.ToBase64String(content) + "\"}") };
        return ParserFactory.CreateBuiltIn("json")!.TryParse(wrapped);
    }

    [Property(MaxTest = 200)]
    public bool Parsed_fields_are_valid_json_equal_to_the_input_minus_time(string message, int level)
    {
        message ??= "";
        if (message.Any(char.IsSurrogate))
        {
            return true;
        }
        var parser = Create(("Name", "j"), ("Format", "json"), ("Time_Key", "time"));
        var input = new JsonObject
        {
            ["time"] = "2024-01-02T03:04:05Z",
            ["message"] = message,
            ["level"] = (Math.Abs(level % 7) * 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var record = new LogRecord { Content = Encoding.UTF8.GetBytes(input.ToJsonString()) };
        if (!parser.TryParse(record))
        {
            return false;
        }
        var fields = record.Fields;
        return !fields.ContainsKey("time") && fields["message"]!.GetValue<string>() == message;
    }
}
