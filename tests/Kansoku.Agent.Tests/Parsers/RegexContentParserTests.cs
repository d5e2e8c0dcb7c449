using System.Text.Json.Nodes;
using Kansoku.Agent.Config;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Pipeline;
using static Kansoku.Agent.Tests.Parsers.ParserSpecs;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Parsers;

public sealed class RegexContentParserTests
{
    [Fact]
    public void Seed_postgres_log()
    {
        var specs = LoadParsersFile(RepositoryPaths.Shared("seed", "configs", "parsers.conf"));
        var spec = specs["postgres_log"];
        var parser = ParserFactory.Create(spec);
        Assert.Equal("postgres_log", parser.Name);
        Assert.Empty(spec.UnusedProperties());

        var record = Record("2024-01-02 03:04:05.123 UTC [4711] ERROR:  duplicate key value violates unique constraint \"orders_pkey\"");
        Assert.True(parser.TryParse(record));
        Assert.Equal(1704164645123000000, record.TimeUnixNano);
        Assert.Equal(Severity.Error, record.Severity);
        Assert.True(record.LevelInFields);
        var fields = JsonNode.Parse(Fields(record))!.AsObject();
        // Time_Keep is Off (Fluent Bit's default): the time group is not among the fields.
        Assert.False(fields.ContainsKey("timestamp"));
        Assert.Equal("4711", fields["pid"]!.GetValue<string>());
        Assert.Equal("error", fields["level"]!.GetValue<string>());
        Assert.Equal("duplicate key value violates unique constraint \"orders_pkey\"", fields["message"]!.GetValue<string>());

        Assert.False(parser.TryParse(Record("not a postgres line")));
    }

    [Fact]
    public void Seed_webapp_spec_reads_every_key()
    {
        var spec = LoadParsersFile(RepositoryPaths.Shared("seed", "configs", "parsers.conf"))["webapp_json"];
        ParserFactory.Create(spec);
        Assert.Empty(spec.UnusedProperties());
    }

    [Fact]
    public void Types_convert_and_failed_conversions_stay_strings()
    {
        var parser = Create(("Name", "access"), ("Format", "regex"),
            ("Regex", @"^(?<host>\S+) (?<code>\S+) (?<size>\S+) (?<ratio>\S+) (?<cached>\S+) (?<id>\S+)(?<empty>x?)$"),
            ("Types", "code:integer size:integer ratio:float cached:bool id:hex"));
        var record = Record("10.0.0.1 200 n/a 0.25 TRUE ff");
        Assert.True(parser.TryParse(record));
        Assert.Equal("""{"host":"10.0.0.1","code":200,"size":"n/a","ratio":0.25,"cached":true,"id":255}""", Fields(record));
    }

    [Fact]
    public void Empty_captures_are_kept_when_skip_empty_values_is_off()
    {
        var parser = Create(("Name", "r"), ("Format", "regex"), ("Regex", "^(?<a>x*)-(?<b>.*)$"), ("Skip_Empty_Values", "Off"));
        var record = Record("-日本");
        Assert.True(parser.TryParse(record));
        Assert.Equal("""{"a":"","b":"日本"}""", Fields(record));
    }

    [Fact]
    public void Time_keep_on_and_time_offset()
    {
        var parser = Create(("Name", "r"), ("Format", "regex"), ("Regex", "^(?<time>[^|]+)\\|(?<msg>.*)$"),
            ("Time_Key", "time"), ("Time_Format", "%Y-%m-%d %H:%M:%S"), ("Time_Keep", "On"), ("Time_Offset", "+0900"));
        var record = Record("2024-01-02 12:04:05|hello");
        Assert.True(parser.TryParse(record));
        Assert.Equal(1704164645000000000, record.TimeUnixNano);
        Assert.Equal("""{"time":"2024-01-02 12:04:05","msg":"hello"}""", Fields(record));
    }

    [Fact]
    public void Catastrophic_backtracking_counts_as_no_match()
    {
        var parser = Create(("Name", "slow"), ("Format", "regex"), ("Regex", "^(?<a>(x+x+)+y)$"));
        Assert.False(parser.TryParse(Record(new string('x', 40))));
    }

    [Theory]
    [InlineData("Format", "yaml", "Format")]
    [InlineData("Regex", "(?<open", "Regex")]
    [InlineData("Time_Format", "%Y-%Q", "Time_Format")]
    [InlineData("Time_Offset", "+9", "Time_Offset")]
    [InlineData("Types", "code:number", "Types")]
    [InlineData("Time_Keep", "maybe", "Time_Keep")]
    public void Bad_values_name_the_key_and_line(string key, string value, string expectedKey)
    {
        var properties = new List<(string, string)> { ("Name", "p"), ("Format", "regex"), ("Regex", "^(?<a>.*)$") };
        properties.RemoveAll(p => p.Item1 == key);
        properties.Add((key, value));
        var e = Assert.Throws<ConfigException>(() => ParserFactory.Create(Spec([.. properties])));
        Assert.Equal(expectedKey, e.Key);
        // Spec() numbers properties from line 2; the bad one was added last.
        Assert.Equal(properties.Count + 1, e.Location.Line);
        Assert.Contains($"test.conf:{properties.Count + 1}:5: {expectedKey}:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_format_or_regex_is_an_error()
    {
        Assert.Equal("Format", Assert.Throws<ConfigException>(() => Create(("Name", "p"))).Key);
        Assert.Equal("Regex", Assert.Throws<ConfigException>(() => Create(("Name", "p"), ("Format", "regex"))).Key);
    }

    [Fact]
    public void Only_no_op_decoders_are_marked_used()
    {
        var escaped = Spec(("Name", "p"), ("Format", "json"), ("Decode_Field_As", "escaped_utf8 message"));
        ParserFactory.Create(escaped);
        Assert.Empty(escaped.UnusedProperties());
        var json = Spec(("Name", "p"), ("Format", "json"), ("Decode_Field_As", "json log"));
        ParserFactory.Create(json);
        Assert.Equal("Decode_Field_As", Assert.Single(json.UnusedProperties()).Key);
    }

    [Fact]
    public void Built_ins_by_name()
    {
        Assert.Equal("json", ParserFactory.CreateBuiltIn("json")!.Name);
        Assert.Equal("logfmt", ParserFactory.CreateBuiltIn("LOGFMT")!.Name);
        Assert.Null(ParserFactory.CreateBuiltIn("apache2"));
    }
}
