using Kansoku.Agent.Config;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Config;

public sealed class KansokuYamlLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PipelineSpec Load(string path, Dictionary<string, string>? environment = null) =>
        KansokuYamlLoader.Load(path, name => environment?.GetValueOrDefault(name));

    private static ConfigException LoadFails(string path) => Assert.Throws<ConfigException>(() => Load(path));

    private static PipelineSpec SeedClassic() => FluentBitClassicLoader.Load(RepositoryPaths.SeedConfig("fluent-bit.conf"), _ => null);

    [Fact]
    public void Sample_agent_yaml_is_the_seed_fluent_bit_conf()
    {
        var yaml = Load(Path.Combine(RepositoryPaths.RepositoryRoot, "samples", "agent.yaml"));

        Assert.Equal(SpecText.Of(SeedClassic(), "Parsers_File"), SpecText.Of(yaml));
        Assert.Empty(yaml.Warnings);
    }

    [Fact]
    public void Yaml_that_names_the_seed_parsers_file_matches_the_classic_spec()
    {
        var path = _dir.Write("agent.yaml", $$"""
            service:
              Flush: 1
              Log_Level: info
              Daemon: off
              Parsers_File: {{RepositoryPaths.SeedConfig("parsers.conf")}}
            inputs:
              - Name: tail
                Tag: webapp.*
                Path: /var/log/containers/*webapp*.log
                Parser: webapp_json
                DB: /var/log/webapp.db
                Mem_Buf_Limit: 50MB
                Skip_Long_Lines: On
                Refresh_Interval: 10
              - { Name: tail, Tag: postgres.*, Path: /var/log/containers/*postgres*.log, Parser: postgres_log,
                  DB: /var/log/postgres.db, Mem_Buf_Limit: 50MB, Skip_Long_Lines: On, Refresh_Interval: 10 }
            filters:
              - name: kubernetes
                match: '*'
                kube_url: https://kubernetes.default.svc:443
                kube_ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
                kube_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token
                kube_tag_prefix: kube.var.log.containers.
                merge_log: On
                keep_log: Off
                annotations: Off
                labels: On
              - name: grep
                match: webapp.*
                regex: level (error|warn|info)
            outputs:
              - name: elasticsearch
                match: '*'
                host: elasticsearch.logging.svc.cluster.local
                port: 9200
                index: monitoring-demo
                type: _doc
                logstash_format: On
                logstash_prefix: monitoring-demo
                logstash_dateformat: '%Y.%m.%d'
                time_key: '@timestamp'
                time_key_format: '%Y-%m-%dT%H:%M:%S.%L%z'
                include_tag_key: On
                tag_key: '@log_name'
                generate_id: On
            """);

        var yaml = Load(path);

        Assert.Equal(SpecText.Of(SeedClassic(), "Parsers_File"), SpecText.Of(yaml, "Parsers_File"));
        Assert.Equal(RepositoryPaths.SeedConfig("parsers.conf"), yaml.Parsers["webapp_json"].Location.File);
    }

    [Fact]
    public void Every_key_has_its_line_and_column()
    {
        var path = _dir.Write("agent.yaml", "service:\n  flush: 1\npipeline:\n  inputs:\n    - name: tail\n      path: /x\n      tag:   a.*\n");

        var spec = Load(path);

        Assert.Equal(new SourceLocation(path, 1, 1), spec.Service.Location);
        Assert.Equal(new SourceLocation(path, 2, 3), spec.Service.Find("flush")!.Location);
        var input = spec.Inputs[0];
        Assert.Equal(new SourceLocation(path, 5, 7), input.Location);
        Assert.Equal(
            [new ConfigProperty("path", "/x", new SourceLocation(path, 6, 7)), new ConfigProperty("tag", "a.*", new SourceLocation(path, 7, 7))],
            input.Properties);
    }

    [Fact]
    public void Lists_repeat_the_key_and_maps_become_subkey_value_properties()
    {
        var path = _dir.Write("agent.yaml", """
            filters:
              - name: grep
                match: '*'
                regex: [ 'log a', log b ]
                exclude:
                  - level debug
              - name: record_modifier
                match: '*'
                record:
                  cluster: prod
                  region: eu west
                labels: { job: x }
            """);

        var spec = Load(path);

        Assert.Equal([("regex", "log a", 4, 14), ("regex", "log b", 4, 23), ("exclude", "level debug", 6, 9)],
            spec.Filters[0].Properties.Skip(1).Select(p => (p.Key, p.Value, p.Location.Line, p.Location.Column)));
        Assert.Equal([("record", "cluster prod", 10, 7), ("record", "region eu west", 11, 7), ("labels", "job x", 12, 15)],
            spec.Filters[1].Properties.Skip(1).Select(p => (p.Key, p.Value, p.Location.Line, p.Location.Column)));
    }

    [Fact]
    public void Camel_case_keys_mean_their_snake_case_form_as_in_Fluent_Bit()
    {
        var path = _dir.Write("agent.yaml", "inputs:\n  - name: tail\n    memBufLimit: 5MB\n    Skip_Long_Lines: on\n    storage.type: filesystem\n");

        var input = Load(path).Inputs[0];

        Assert.Equal(["mem_buf_limit", "Skip_Long_Lines", "storage.type"], input.Properties.Select(p => p.Key));
        Assert.Equal(5L << 20, input.GetSize("Mem_Buf_Limit", 0));
    }

    [Fact]
    public void Env_section_and_environment_expand_variables_and_env_wins()
    {
        var path = _dir.Write("agent.yaml", """
            env:
              host: es.local
              region: from-env-section
            outputs:
              - name: es
                match: '*'
                host: ${host}:${PORT}
                index: logs-${region}-${MISSING}
            """);

        var spec = Load(path, new() { ["PORT"] = "9200", ["region"] = "from-process" });

        Assert.Equal("es.local:9200", spec.Outputs[0].Get("host"));
        Assert.Equal("logs-from-env-section-", spec.Outputs[0].Get("index"));
        var warning = Assert.Single(spec.Warnings);
        Assert.Equal(new SourceLocation(path, 8, 5), warning.Location);
    }

    [Fact]
    public void Parsers_and_multiline_parsers_with_rules()
    {
        var path = _dir.Write("agent.yaml", """
            parsers:
              - name: apache
                format: regex
                regex: '^(?<host>[^ ]*) "(?<method>\S+)"$'
            multiline_parsers:
              - name: java
                type: regex
                flush_timeout: 1000
                rules:
                  - state: start_state
                    regex: '/^\d{4}-\d{2}-\d{2} "quoted"/'
                    next_state: cont
                  - { state: cont, regex: '/^\s+at .*/', next_state: cont }
            """);

        var spec = Load(path);

        Assert.Equal("regex", spec.Parsers["apache"].Type);
        Assert.Equal("""^(?<host>[^ ]*) "(?<method>\S+)"$""", spec.Parsers["apache"].Get("regex"));
        var java = spec.MultilineParsers["java"];
        Assert.Equal("regex", java.Type);
        Assert.Equal("1000", java.Get("flush_timeout"));
        Assert.Equal(
            [("""
              "start_state" "/^\d{4}-\d{2}-\d{2} \"quoted\"/" "cont"
              """, 10), ("""
              "cont" "/^\s+at .*/" "cont"
              """, 13)],
            java.FindAll("rule").Select(r => (r.Value, r.Location.Line)));
    }

    [Fact]
    public void Service_parsers_file_is_relative_to_the_main_file_and_may_be_a_list()
    {
        _dir.Write("parsers/a.conf", "[PARSER]\n    Name a\n    Format json\n");
        _dir.Write("parsers/b.yaml", "multiline_parsers:\n  - name: b\n    type: regex\n    rule: ['\"s\" \"/x/\" \"s\"']\n");
        var path = _dir.Write("agent.yaml", "service:\n  parsers_file: [parsers/a.conf, parsers/b.yaml]\n");

        var spec = Load(path);

        Assert.Equal("json", spec.Parsers["a"].Type);
        Assert.Equal("\"s\" \"/x/\" \"s\"", spec.MultilineParsers["b"].Get("rule"));
        Assert.Empty(spec.Service.UnusedProperties());
    }

    [Fact]
    public void Includes_are_read_in_place_and_globs_work()
    {
        _dir.Write("conf.d/b.yaml", "outputs:\n  - name: stdout\n    match: '*'\n");
        _dir.Write("conf.d/a.yaml", "env:\n  tag: from-include\nincludes:\n  - ../more/c.yml\n");
        _dir.Write("more/c.yml", "pipeline:\n  filters:\n    - name: grep\n      match: x\n");
        var path = _dir.Write("agent.yaml", "includes:\n  - conf.d/*.yaml\ninputs:\n  - name: dummy\n    tag: ${tag}\n");

        var spec = Load(path);

        Assert.Equal("from-include", spec.Inputs[0].Get("tag"));
        Assert.Equal("grep", spec.Filters[0].Type);
        Assert.Equal("stdout", spec.Outputs[0].Type);
        Assert.Equal(Path.Combine(_dir.Path, "conf.d", "../more/c.yml"), spec.Filters[0].Location.File);
    }

    [Fact]
    public void Include_cycle_in_yaml_is_an_error()
    {
        var a = _dir.Write("a.yaml", "includes: [b.yaml]\n");
        var b = _dir.Write("b.yaml", "\nincludes:\n  - a.yaml\n");

        var error = LoadFails(a);

        Assert.Equal(new SourceLocation(b, 3, 5), error.Location);
        Assert.Equal("includes[0]", error.Key);
        Assert.Contains("include cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fluent_Bit_sections_kansoku_does_not_have_warn()
    {
        var path = _dir.Write("agent.yaml", "customs:\n  - name: calyptia\ninputs:\n  - name: dummy\n");

        var spec = Load(path);

        Assert.Single(spec.Inputs);
        Assert.Equal(new SourceLocation(path, 1, 1), Assert.Single(spec.Warnings).Location);
    }

    [Fact]
    public void Empty_file_is_an_empty_configuration()
    {
        var spec = Load(_dir.Write("agent.yaml", "# nothing yet\n"));

        Assert.Empty(spec.Inputs);
        Assert.Empty(spec.Service.Properties);
    }

    [Theory]
    [InlineData("pipeline:\n  inputs:\n    - name: tail\n      path: { a: [1] }\n", 4, 18, "pipeline.inputs[0].path.a", "expected a string")]
    [InlineData("pipeline:\n  inputs:\n    - name: tail\n      path:\n", 4, 7, "pipeline.inputs[0].path", "has no value")]
    [InlineData("pipeline:\n  inputs:\n    - name: tail\n      path: [a, [b]]\n", 4, 17, "pipeline.inputs[0].path[1]", "expected a string")]
    [InlineData("pipeline:\n  inputs:\n    - tag: x\n", 3, 7, "pipeline.inputs[0].name", "pipeline.inputs[0] needs a Name")]
    [InlineData("pipeline:\n  inputs:\n    - name: tail\n      processors:\n        logs: []\n", 4, 7, "pipeline.inputs[0].processors", "processors are not supported")]
    [InlineData("pipeline:\n  inputs:\n    name: tail\n", 3, 5, "pipeline.inputs", "expected a list of maps")]
    [InlineData("pipeline:\n  sources: []\n", 2, 3, "pipeline.sources", "unknown key")]
    [InlineData("service:\n  flush: 1\nsinks: []\n", 3, 1, "sinks", "unknown section")]
    [InlineData("- a\n- b\n", 1, 1, null, "expected a map of sections")]
    [InlineData("service: [1]\n", 1, 10, "service", "expected a map")]
    [InlineData("parsers:\n  - name: p\n", 2, 5, "parsers[0].format", "parsers[0] needs a Format")]
    [InlineData("multiline_parsers:\n  - name: m\n    type: regex\n    rules:\n      - state: s\n        regex: /x/\n", 5, 9, "multiline_parsers[0].rules[0].next_state", "a rule needs")]
    [InlineData("inputs:\n  - name: tail\n    tag: a\n    tag: b\n", 4, 5, null, "Duplicate key")]
    [InlineData("inputs:\n  - name: tail\n     tag: a\n", 3, 9, null, "YAML syntax")]
    [InlineData("inputs:\n  - name: 'tail\n", 2, 11, null, "YAML syntax")]
    [InlineData("inputs: []\n---\noutputs: []\n", 3, 1, null, "expected one YAML document")]
    public void Errors_name_file_line_column_and_key(string text, int line, int column, string? key, string message)
    {
        var path = _dir.Write("agent.yaml", text);

        var error = LoadFails(path);

        Assert.Equal((line, column, key), (error.Location.Line, error.Location.Column, error.Key));
        Assert.Equal(path, error.Location.File);
        Assert.Contains(message, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_message_reads_like_a_compiler_error()
    {
        var path = _dir.Write("agent.yaml", "service:\n  flush: 1\n\npipeline:\n  inputs:\n    - name: tail\n      path:\n        - [nested]\n");

        var error = LoadFails(path);

        Assert.Equal($"{path}:8:11: pipeline.inputs[0].path[0]: expected a string, a list of strings or a map of strings", error.Message);
    }
}
