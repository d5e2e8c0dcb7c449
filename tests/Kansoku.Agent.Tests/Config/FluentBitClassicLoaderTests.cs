using Kansoku.Agent.Config;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Config;

public sealed class FluentBitClassicLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PipelineSpec Load(string path, Dictionary<string, string>? environment = null) =>
        FluentBitClassicLoader.Load(path, name => environment?.GetValueOrDefault(name));

    private static ConfigException LoadFails(string path, Dictionary<string, string>? environment = null) =>
        Assert.Throws<ConfigException>(() => Load(path, environment));

    [Fact]
    public void Comments_blank_lines_tabs_crlf_and_case_insensitive_sections()
    {
        var path = _dir.Write("main.conf",
            "# a comment\r\n\r\n[service]\r\n\tflush\t5\r\n  \r\n[Input]\r\n    # indented comment\r\n    Name   TAIL  \r\n\tPath\t/var/log/*.log  # kept: Fluent Bit has no inline comments\r\n[OUTPUT]\n    Name stdout\n    Match *");

        var spec = Load(path);

        Assert.Equal([new ConfigProperty("flush", "5", new SourceLocation(path, 4, 2))], spec.Service.Properties);
        Assert.Equal(new SourceLocation(path, 3, 1), spec.Service.Location);
        var input = Assert.Single(spec.Inputs);
        Assert.Equal("tail", input.Type);
        Assert.Equal([new ConfigProperty("Path", "/var/log/*.log  # kept: Fluent Bit has no inline comments", new SourceLocation(path, 9, 2))], input.Properties);
        Assert.Equal("*", Assert.Single(spec.Outputs).Get("match"));
    }

    [Fact]
    public void Repeated_keys_are_kept_in_order_and_the_last_one_wins_for_Get()
    {
        var path = _dir.Write("main.conf", "[FILTER]\n    Name grep\n    Match *\n    Regex log a\n    Regex log b\n    Exclude log c\n");

        var filter = Assert.Single(Load(path).Filters);

        Assert.Equal(["log a", "log b"], filter.FindAll("regex").Select(p => p.Value));
        Assert.Equal("log b", filter.Get("Regex"));
        Assert.Equal(5, filter.FindAll("Regex")[1].Location.Line);
    }

    [Fact]
    public void Multiline_parser_rules_are_kept_whole_and_type_becomes_the_component_type()
    {
        var path = _dir.Write("main.conf", """
            [MULTILINE_PARSER]
                name          multiline-regex-test
                type          regex
                flush_timeout 1000
                rule      "start_state"   "/([a-zA-Z]+ \d+ \d+\:\d+\:\d+)(.*)/"  "cont"
                rule      "cont"          "/^\s+at.*/"                     "cont"
            """);

        var spec = Load(path);

        var parser = spec.MultilineParsers["multiline-regex-test"];
        Assert.Equal(ComponentKind.MultilineParser, parser.Kind);
        Assert.Equal("regex", parser.Type);
        Assert.Equal(
            [@"""start_state""   ""/([a-zA-Z]+ \d+ \d+\:\d+\:\d+)(.*)/""  ""cont""", @"""cont""          ""/^\s+at.*/""                     ""cont"""],
            parser.FindAll("rule").Select(p => p.Value));
        Assert.Equal(new SourceLocation(path, 6, 5), parser.FindAll("rule")[1].Location);
    }

    [Fact]
    public void Inline_parser_sections_and_several_Parsers_Files_are_loaded()
    {
        _dir.Write("parsers/a.conf", "[PARSER]\n    Name a\n    Format json\n");
        _dir.Write("b.conf", "[PARSER]\n    Name b\n    Format logfmt\n[MULTILINE_PARSER]\n    Name m\n    Type regex\n    Rule \"s\" \"/x/\" \"s\"\n");
        var path = _dir.Write("main.conf", "[SERVICE]\n    Parsers_File parsers/a.conf\n    Parsers_File b.conf\n[PARSER]\n    Name inline\n    Format regex\n    Regex ^(?<x>.*)$\n");

        var spec = Load(path);

        Assert.Equal("regex", spec.Parsers["inline"].Type);
        Assert.Equal("json", spec.Parsers["a"].Type);
        Assert.Equal(Path.Combine(_dir.Path, "parsers/a.conf"), spec.Parsers["a"].Location.File);
        Assert.Equal("logfmt", spec.Parsers["b"].Type);
        Assert.Equal("regex", spec.MultilineParsers["m"].Type);
    }

    [Fact]
    public void Sections_other_than_parsers_in_a_parsers_file_are_ignored_with_a_warning()
    {
        var parsers = _dir.Write("parsers.conf", "[INPUT]\n    Name tail\n[PARSER]\n    Name p\n    Format json\n");
        var path = _dir.Write("main.conf", "[SERVICE]\n    Parsers_File parsers.conf\n");

        var spec = Load(path);

        Assert.Empty(spec.Inputs);
        Assert.Single(spec.Parsers);
        var warning = Assert.Single(spec.Warnings);
        Assert.Equal(new SourceLocation(parsers, 1, 1), warning.Location);
        Assert.Contains("[INPUT] in a parsers file is ignored", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsers_File_may_be_yaml()
    {
        _dir.Write("parsers.yaml", "parsers:\n  - name: p\n    format: json\n    time_key: ts\n");
        var path = _dir.Write("main.conf", "[SERVICE]\n    Parsers_File parsers.yaml\n");

        var parser = Load(path).Parsers["p"];

        Assert.Equal("json", parser.Type);
        Assert.Equal("ts", parser.Get("time_key"));
    }

    [Fact]
    public void Fluent_Bit_sections_kansoku_does_not_have_are_skipped_with_a_warning()
    {
        var path = _dir.Write("main.conf", "[CUSTOM]\n    Name calyptia\n    api_key x\n[INPUT]\n    Name dummy\n");

        var spec = Load(path);

        Assert.Equal("dummy", Assert.Single(spec.Inputs).Type);
        Assert.Empty(spec.Inputs[0].Properties);
        Assert.Equal(new SourceLocation(path, 1, 1), Assert.Single(spec.Warnings).Location);
    }

    [Fact]
    public void Service_sections_merge_and_a_missing_service_is_empty()
    {
        var merged = _dir.Write("merged.conf", "[SERVICE]\n    Flush 1\n[INPUT]\n    Name dummy\n[SERVICE]\n    Log_Level debug\n");
        var none = _dir.Write("none.conf", "[INPUT]\n    Name dummy\n");

        var spec = Load(merged);

        Assert.Equal(["Flush", "Log_Level"], spec.Service.Properties.Select(p => p.Key));
        Assert.Equal(new SourceLocation(merged, 1, 1), spec.Service.Location);
        Assert.Empty(Load(none).Service.Properties);
        Assert.Equal(new SourceLocation(none, 0, 0), Load(none).Service.Location);
    }

    [Fact]
    public void Name_given_twice_warns_and_the_last_one_counts()
    {
        var path = _dir.Write("main.conf", "[INPUT]\n    Name tail\n    Name Dummy\n");

        var spec = Load(path);

        Assert.Equal("dummy", spec.Inputs[0].Type);
        Assert.Equal(new SourceLocation(path, 3, 5), Assert.Single(spec.Warnings).Location);
    }

    // ---- @INCLUDE ----

    [Fact]
    public void Include_is_relative_to_the_including_files_folder_and_keeps_order()
    {
        _dir.Write("conf.d/outputs.conf", "[OUTPUT]\n    Name stdout\n    Match *\n@INCLUDE more/null.conf\n");
        _dir.Write("conf.d/more/null.conf", "[OUTPUT]\n    Name null\n    Match x\n");
        var path = _dir.Write("main.conf", "[INPUT]\n    Name dummy\n@INCLUDE conf.d/outputs.conf\n[OUTPUT]\n    Name counter\n");

        var spec = Load(path);

        Assert.Equal(["stdout", "null", "counter"], spec.Outputs.Select(o => o.Type));
        Assert.Equal(new SourceLocation(Path.Combine(_dir.Path, "conf.d/more/null.conf"), 3, 5), spec.Outputs[1].Find("Match")!.Location);
    }

    [Fact]
    public void Include_falls_back_to_the_main_files_folder_like_Fluent_Bit()
    {
        _dir.Write("sub/a.conf", "@INCLUDE b.conf\n");
        _dir.Write("b.conf", "[INPUT]\n    Name dummy\n");
        var path = _dir.Write("main.conf", "@INCLUDE sub/a.conf\n");

        Assert.Equal("dummy", Assert.Single(Load(path).Inputs).Type);
    }

    [Fact]
    public void Keys_after_an_include_still_belong_to_the_section_before_it()
    {
        _dir.Write("out.conf", "[OUTPUT]\n    Name stdout\n");
        var path = _dir.Write("main.conf", "[INPUT]\n    Name dummy\n@INCLUDE out.conf\n    Tag after\n");

        var spec = Load(path);

        Assert.Equal("after", spec.Inputs[0].Get("Tag"));
        Assert.Empty(spec.Outputs[0].Properties);
    }

    [Fact]
    public void Glob_include_reads_matching_files_in_ordinal_order_and_skips_hidden_and_other_files()
    {
        _dir.Write("conf.d/20-b.conf", "[INPUT]\n    Name b\n");
        _dir.Write("conf.d/10-a.conf", "[INPUT]\n    Name a\n");
        _dir.Write("conf.d/.hidden.conf", "[INPUT]\n    Name hidden\n");
        _dir.Write("conf.d/readme.txt", "not a config");
        _dir.Write("conf.d/x/30-c.conf", "[INPUT]\n    Name c\n");
        var path = _dir.Write("main.conf", "@include conf.d/*.conf\n@INCLUDE conf.d/?/*-c.conf\n");

        Assert.Equal(["a", "b", "c"], Load(path).Inputs.Select(i => i.Type));
    }

    [Fact]
    public void Glob_that_matches_nothing_is_an_error()
    {
        var path = _dir.Write("main.conf", "[INPUT]\n    Name dummy\n@INCLUDE conf.d/*.conf\n");

        var error = LoadFails(path);

        Assert.Equal(new SourceLocation(path, 3, 1), error.Location);
        Assert.Equal("@INCLUDE", error.Key);
        Assert.Contains("no file matches 'conf.d/*.conf'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_include_is_an_error_at_the_include_line()
    {
        var path = _dir.Write("main.conf", "# header\n[INPUT]\n    Name dummy\n  @INCLUDE   missing.conf  \n");

        var error = LoadFails(path);

        Assert.Equal(new SourceLocation(path, 4, 3), error.Location);
        Assert.Equal("@INCLUDE", error.Key);
        Assert.StartsWith($"{path}:4:3: @INCLUDE: file 'missing.conf' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_cycle_is_an_error_that_shows_the_chain()
    {
        var a = _dir.Write("a.conf", "[INPUT]\n    Name dummy\n@INCLUDE b.conf\n");
        var b = _dir.Write("b.conf", "\n@INCLUDE a.conf\n");

        var error = LoadFails(a);

        Assert.Equal(new SourceLocation(b, 2, 1), error.Location);
        Assert.Contains($"include cycle: {a} -> {b} -> {a}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_that_includes_itself_is_a_cycle()
    {
        var path = _dir.Write("main.conf", "@INCLUDE main.conf\n");

        Assert.Contains("include cycle", LoadFails(path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Including_the_same_file_twice_is_an_error_as_in_Fluent_Bit()
    {
        _dir.Write("common.conf", "[OUTPUT]\n    Name stdout\n");
        var path = _dir.Write("main.conf", "@INCLUDE common.conf\n@INCLUDE ./common.conf\n");

        var error = LoadFails(path);

        Assert.Equal(new SourceLocation(path, 2, 1), error.Location);
        Assert.Contains("already included", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Including_a_folder_says_how_to_include_its_files()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "conf.d"));
        var path = _dir.Write("main.conf", "@INCLUDE conf.d\n");

        Assert.Contains("conf.d/*", LoadFails(path).Message, StringComparison.Ordinal);
    }

    // ---- @SET and ${VAR} ----

    [Fact]
    public void Set_and_environment_variables_expand_in_values()
    {
        var path = _dir.Write("main.conf", """
            @SET es_host=es.example
            @SET  port = 9200
            [OUTPUT]
                Name  es
                Match ${MATCH}
                Host  ${es_host}:${port}/${REGION}-x
            @SET MATCH=app.*
            """);

        var output = Load(path, new() { ["REGION"] = "eu", ["MATCH"] = "from-environment" }).Outputs[0];

        Assert.Equal("es.example:9200/eu-x", output.Get("Host"));
        Assert.Equal("app.*", output.Get("Match"));
    }

    [Fact]
    public void Variables_set_in_an_included_file_apply_to_the_whole_document()
    {
        _dir.Write("vars.conf", "@SET tag=from-include\n");
        var path = _dir.Write("main.conf", "[INPUT]\n    Name dummy\n    Tag ${tag}\n@INCLUDE vars.conf\n");

        Assert.Equal("from-include", Load(path).Inputs[0].Get("Tag"));
    }

    [Fact]
    public void Undefined_variable_expands_empty_with_a_warning_at_the_key()
    {
        var path = _dir.Write("main.conf", "[INPUT]\n    Name dummy\n    Tag  a${NOPE}b ${}\n    Path ${unterminated\n");

        var spec = Load(path, new() { ["NOPE"] = "" });

        Assert.Equal("ab ${}", spec.Inputs[0].Get("Tag"));
        Assert.Equal("${unterminated", spec.Inputs[0].Get("Path"));
        var warning = Assert.Single(spec.Warnings);
        Assert.Equal(new SourceLocation(path, 3, 5), warning.Location);
        Assert.Contains("${NOPE} is not set", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Variables_expand_in_Name_and_Parsers_File()
    {
        _dir.Write("p.conf", "[PARSER]\n    Name p\n    Format json\n");
        var path = _dir.Write("main.conf", "@SET plugin=Dummy\n[SERVICE]\n    Parsers_File ${pfile}\n[INPUT]\n    Name ${plugin}\n");

        var spec = Load(path, new() { ["pfile"] = "p.conf" });

        Assert.Equal("dummy", spec.Inputs[0].Type);
        Assert.True(spec.Parsers.ContainsKey("p"));
    }

    [Fact]
    public void HOSTNAME_falls_back_to_the_host_name_as_in_Fluent_Bit()
    {
        var path = _dir.Write("main.conf", "[INPUT]\n    Name dummy\n    Tag ${HOSTNAME}\n");

        Assert.Equal(System.Net.Dns.GetHostName(), Load(path).Inputs[0].Get("Tag"));
        Assert.Equal("pod-1", Load(path, new() { ["HOSTNAME"] = "pod-1" }).Inputs[0].Get("Tag"));
    }

    // ---- errors ----

    [Theory]
    [InlineData("    Flush 1\n", 1, 5, "Flush", "key outside any section")]
    [InlineData("[INPUT]\n    Name dummy\n    Tag\n", 3, 5, "Tag", "has no value")]
    [InlineData("[INPUT]\n    Name dummy\n    Tag   \t \n", 3, 5, "Tag", "has no value")]
    [InlineData("[INPUT]\nName dummy\n", 2, 1, "Name", "must be indented")]
    [InlineData("[INPUT]\n    Tag x\n[OUTPUT]\n    Name stdout\n", 1, 1, "Name", "[INPUT] needs a Name")]
    [InlineData("[OUTPUT]\n", 1, 1, "Name", "[OUTPUT] needs a Name")]
    [InlineData("\n\n[INPUTZ]\n    Name dummy\n", 3, 1, null, "unknown section [INPUTZ]")]
    [InlineData("[INPUT\n    Name dummy\n", 1, 1, null, "bad section header")]
    [InlineData("@SET novalue\n", 1, 1, "@SET", "expected @SET NAME=VALUE")]
    [InlineData("@SET =x\n", 1, 1, "@SET", "expected @SET NAME=VALUE")]
    [InlineData("@INCLUDE\n", 1, 1, "@INCLUDE", "needs a file name")]
    [InlineData("@ECHO hi\n", 1, 1, "@ECHO", "unknown command")]
    [InlineData("[PARSER]\n    Name p\n", 1, 1, "Format", "[PARSER] needs a Format")]
    [InlineData("[PARSER]\n    Format json\n", 1, 1, "Name", "[PARSER] needs a Name")]
    [InlineData("[MULTILINE_PARSER]\n    Name m\n", 1, 1, "Type", "[MULTILINE_PARSER] needs a Type")]
    [InlineData("[PARSER]\n    Name p\n    Format json\n[PARSER]\n    Name P\n    Format regex\n", 5, 5, "Name", "parser 'P' is already defined at")]
    [InlineData("@SET n=\n[INPUT]\n    Name ${n}\n", 3, 5, "Name", "is empty")]
    [InlineData("[SERVICE]\n    Parsers_File nowhere.conf\n", 2, 5, "Parsers_File", "file 'nowhere.conf' not found")]
    public void Malformed_files_fail_with_the_right_place_and_key(string text, int line, int column, string? key, string message)
    {
        var path = _dir.Write("main.conf", text);

        var error = LoadFails(path);

        Assert.Equal(new SourceLocation(path, line, column), error.Location);
        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_main_file_is_a_config_error()
    {
        var path = Path.Combine(_dir.Path, "absent.conf");

        var error = LoadFails(path);

        Assert.Equal(new SourceLocation(path, 0, 0), error.Location);
        Assert.Contains("file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_in_included_files_name_the_included_file()
    {
        var inner = _dir.Write("inner.conf", "[FILTER]\n    Match *\n");
        var path = _dir.Write("main.conf", "@INCLUDE inner.conf\n");

        Assert.Equal(new SourceLocation(inner, 1, 1), LoadFails(path).Location);
    }
}
