using FsCheck;
using FsCheck.Fluent;
using Kansoku.Agent.Config;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Config;

/// <summary>Whatever a file holds, loading it either succeeds or fails with a <see cref="ConfigException"/>.</summary>
public sealed class LoaderPropertyTests : IDisposable
{
    /// <summary>Fragments that reach every branch of the reader, including includes of the file itself, globs,
    /// folders and names no file system accepts; mixed with arbitrary text.</summary>
    private static readonly string[] s_fragments =
    [
        "[SERVICE]", "[INPUT]", "[FILTER]", "[OUTPUT]", "[PARSER]", "[MULTILINE_PARSER]", "[CUSTOM]", "[", "[]", "[INPUT", " [OUTPUT] x",
        "    Name tail", "    Name", "\tName\tdummy", "Name stdout", "    Format json", "    Type regex", "    Match *",
        "    Parsers_File main.conf", "    Parsers_File *", "    Parsers_File sub", "    Parsers_File p.yaml", "    Parsers_File \0",
        "    Key ${VAR}", "    Key ${", "    Key ${}", "    rule \"a\" \"/b/\" \"c\"", "    # c", "# c", "", "   ", "\r",
        "@INCLUDE main.conf", "@INCLUDE *", "@INCLUDE sub", "@INCLUDE sub/*", "@INCLUDE ?", "@INCLUDE other.conf", "@INCLUDE \0x",
        "@INCLUDE", "@include  ", "@SET VAR=x", "@SET =", "@SET", "@", "@X y", "\uFEFF[INPUT]", "    Name \u00e9\u3042",
    ];

    private readonly TempDirectory _dir = new();

    public LoaderPropertyTests()
    {
        _dir.Write("sub/inner.conf", "[INPUT]\n    Name dummy\n@INCLUDE ../sub/inner.conf\n");
        _dir.Write("other.conf", "[OUTPUT]\n    Name stdout\n");
        _dir.Write("p.yaml", "parsers: [ {name: x, format: json} ]\n");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Classic_loader_throws_only_ConfigException()
    {
        var line = Gen.Frequency(
            (4, Gen.Elements(s_fragments)),
            (1, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)));
        var file = Gen.ListOf(line).Select(lines => string.Join('\n', lines)).ToArbitrary();

        Prop.ForAll(file, text =>
        {
            var path = _dir.Write("main.conf", text);
            try
            {
                FluentBitClassicLoader.Load(path, _ => null);
            }
            catch (ConfigException)
            {
            }
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void Yaml_loader_throws_only_ConfigException()
    {
        var fragments = Gen.Elements(
            "inputs:", "pipeline:", "  inputs:", "  - name: tail", "    - name: tail", "    path: [a, {b: c}]", "    record: {k: v}",
            "    tag:", "includes: [main.yaml]", "includes: ['*']", "includes: sub", "env: {A: b}", "env: [x]", "service: 1",
            "parsers_file: p.yaml", "service: {parsers_file: main.yaml}", "multiline_parsers: [{name: m, type: regex, rules: [{state: a}]}]",
            "a: *x", "&a b: c", "---", "- x", "'", "\"", "{", "[", "? x", ": y", "!!binary zz", "key: !tag v", "\t", "%YAML 1.1");
        var line = Gen.Frequency((4, fragments), (1, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)));
        var file = Gen.ListOf(line).Select(lines => string.Join('\n', lines)).ToArbitrary();

        Prop.ForAll(file, text =>
        {
            var path = _dir.Write("main.yaml", text);
            try
            {
                KansokuYamlLoader.Load(path, _ => null);
            }
            catch (ConfigException)
            {
            }
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(500));
    }
}
