using Kansoku.Agent.Config;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Config;

/// <summary>The guide's fluent-bit.conf and parsers.conf, loaded in place as a user would.</summary>
public sealed class ClassicSeedConfigTests
{
    private static readonly string s_main = RepositoryPaths.SeedConfig("fluent-bit.conf");
    private static readonly string s_parsers = RepositoryPaths.SeedConfig("parsers.conf");

    private static readonly (string Key, string Value, int Line, int Column)[] s_service =
    [
        ("Flush", "1", 2, 5),
        ("Log_Level", "info", 3, 5),
        ("Daemon", "off", 4, 5),
        ("Parsers_File", "parsers.conf", 5, 5),
    ];

    private static readonly (string Key, string Value, int Line, int Column)[] s_webappInput =
    [
        ("Tag", "webapp.*", 9, 5),
        ("Path", "/var/log/containers/*webapp*.log", 10, 5),
        ("Parser", "webapp_json", 11, 5),
        ("DB", "/var/log/webapp.db", 12, 5),
        ("Mem_Buf_Limit", "50MB", 13, 5),
        ("Skip_Long_Lines", "On", 14, 5),
        ("Refresh_Interval", "10", 15, 5),
    ];

    private static readonly (string Key, string Value, int Line, int Column)[] s_postgresInput =
    [
        ("Tag", "postgres.*", 19, 5),
        ("Path", "/var/log/containers/*postgres*.log", 20, 5),
        ("Parser", "postgres_log", 21, 5),
        ("DB", "/var/log/postgres.db", 22, 5),
        ("Mem_Buf_Limit", "50MB", 23, 5),
        ("Skip_Long_Lines", "On", 24, 5),
        ("Refresh_Interval", "10", 25, 5),
    ];

    private static readonly (string Key, string Value, int Line, int Column)[] s_kubernetesFilter =
    [
        ("Match", "*", 29, 5),
        ("Kube_URL", "https://kubernetes.default.svc:443", 30, 5),
        ("Kube_CA_File", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", 31, 5),
        ("Kube_Token_File", "/var/run/secrets/kubernetes.io/serviceaccount/token", 32, 5),
        ("Kube_Tag_Prefix", "kube.var.log.containers.", 33, 5),
        ("Merge_Log", "On", 34, 5),
        ("Keep_Log", "Off", 35, 5),
        ("Annotations", "Off", 36, 5),
        ("Labels", "On", 37, 5),
    ];

    private static readonly (string Key, string Value, int Line, int Column)[] s_grepFilter =
    [
        ("Match", "webapp.*", 41, 5),
        ("Regex", "level (error|warn|info)", 42, 5),
    ];

    private static readonly (string Key, string Value, int Line, int Column)[] s_elasticsearchOutput =
    [
        ("Match", "*", 46, 5),
        ("Host", "elasticsearch.logging.svc.cluster.local", 47, 5),
        ("Port", "9200", 48, 5),
        ("Index", "monitoring-demo", 49, 5),
        ("Type", "_doc", 50, 5),
        ("Logstash_Format", "On", 51, 5),
        ("Logstash_Prefix", "monitoring-demo", 52, 5),
        ("Logstash_DateFormat", "%Y.%m.%d", 53, 5),
        ("Time_Key", "@timestamp", 54, 5),
        ("Time_Key_Format", "%Y-%m-%dT%H:%M:%S.%L%z", 55, 5),
        ("Include_Tag_Key", "On", 56, 5),
        ("Tag_Key", "@log_name", 57, 5),
        ("Generate_ID", "On", 58, 5),
    ];

    private static readonly (string Key, string Value, int Line, int Column)[] s_webappParser =
    [
        ("Name", "webapp_json", 2, 5),
        ("Time_Key", "timestamp", 4, 5),
        ("Time_Format", "%Y-%m-%dT%H:%M:%S.%L%z", 5, 5),
        ("Time_Keep", "On", 6, 5),
        ("Decode_Field_As", "escaped_utf8 message", 7, 5),
    ];

    private static readonly (string Key, string Value, int Line, int Column)[] s_postgresParser =
    [
        ("Name", "postgres_log", 10, 5),
        ("Regex", @"^(?<timestamp>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}.\d{3} \w+)\s+\[(?<pid>\d+)\]\s+(?<level>\w+):\s+(?<message>.*)$", 12, 5),
        ("Time_Key", "timestamp", 13, 5),
        ("Time_Format", "%Y-%m-%d %H:%M:%S.%L %Z", 14, 5),
    ];

    [Fact]
    public void Every_section_key_and_location_is_loaded()
    {
        var spec = FluentBitClassicLoader.Load(s_main, _ => null);

        AssertComponent(spec.Service, ComponentKind.Service, "service", s_main, 1, s_service);
        Assert.Equal(2, spec.Inputs.Count);
        AssertComponent(spec.Inputs[0], ComponentKind.Input, "tail", s_main, 7, s_webappInput);
        AssertComponent(spec.Inputs[1], ComponentKind.Input, "tail", s_main, 17, s_postgresInput);
        Assert.Equal(2, spec.Filters.Count);
        AssertComponent(spec.Filters[0], ComponentKind.Filter, "kubernetes", s_main, 27, s_kubernetesFilter);
        AssertComponent(spec.Filters[1], ComponentKind.Filter, "grep", s_main, 39, s_grepFilter);
        AssertComponent(Assert.Single(spec.Outputs), ComponentKind.Output, "elasticsearch", s_main, 44, s_elasticsearchOutput);

        Assert.Equal(["postgres_log", "webapp_json"], spec.Parsers.Keys.Order(StringComparer.Ordinal));
        AssertComponent(spec.Parsers["webapp_json"], ComponentKind.Parser, "json", s_parsers, 1, s_webappParser);
        AssertComponent(spec.Parsers["POSTGRES_LOG"], ComponentKind.Parser, "regex", s_parsers, 9, s_postgresParser);
        Assert.Empty(spec.MultilineParsers);
        Assert.Empty(spec.Warnings);
    }

    [Fact]
    public void Loader_consumes_Parsers_File_and_parser_names_so_they_are_not_reported_unknown()
    {
        var spec = FluentBitClassicLoader.Load(s_main, _ => null);

        Assert.DoesNotContain(spec.Service.UnusedProperties(), p => p.Key == "Parsers_File");
        Assert.Equal(["Time_Key", "Time_Format", "Time_Keep", "Decode_Field_As"], spec.Parsers["webapp_json"].UnusedProperties().Select(p => p.Key));
    }

    [Fact]
    public void Typed_getters_read_the_seed_values()
    {
        var spec = FluentBitClassicLoader.Load(s_main, _ => null);

        Assert.Equal(50L << 20, spec.Inputs[0].GetSize("mem_buf_limit", 0));
        Assert.True(spec.Inputs[0].GetBool("skip_long_lines", false));
        Assert.Equal(TimeSpan.FromSeconds(10), spec.Inputs[0].GetDuration("refresh_interval", TimeSpan.Zero));
        Assert.False(spec.Filters[0].GetBool("Keep_Log", true));
        Assert.Equal(9200, spec.Outputs[0].GetInt64("port", 0));
    }

    private static void AssertComponent(ComponentSpec component, ComponentKind kind, string type, string file, int line,
        (string Key, string Value, int Line, int Column)[] expected)
    {
        Assert.Equal(kind, component.Kind);
        Assert.Equal(type, component.Type);
        Assert.Equal(new SourceLocation(file, line, 1), component.Location);
        Assert.Equal(
            expected.Select(e => new ConfigProperty(e.Key, e.Value, new SourceLocation(file, e.Line, e.Column))),
            component.Properties);
    }
}
