using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary><c>kansoku agent --check</c>: prints a valid pipeline, names file:line and key of an error, warns about unknown keys.</summary>
public sealed class CheckCommandTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_valid_classic_config_is_printed_and_exits_0()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("fluent-bit.conf");
        File.WriteAllText(config, $"""
            [SERVICE]
                Flush 1

            [INPUT]
                Name   tail
                Path   {dir.Combine("logs", "*.log")}
                Tag    kube.*

            [FILTER]
                Name   kubernetes
                Match  kube.*

            [OUTPUT]
                Name   file
                Match  *
                Path   {dir.Combine("out.ndjson")}
            """);

        var (code, stdout, stderr) = ChildProcess.RunKansoku(s_timeout, "agent", "--check", "--config", config);

        Assert.True(code == 0, stderr);
        Assert.Contains("input tail", stdout, StringComparison.Ordinal);
        Assert.Contains("filter kubernetes", stdout, StringComparison.Ordinal);
        Assert.Contains("output file", stdout, StringComparison.Ordinal);
        Assert.Contains($"{config}:7:", stdout, StringComparison.Ordinal);
        Assert.Contains("configuration is valid", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_leaves_the_output_file_alone()
    {
        using var dir = new TempDirectory();
        var outFile = dir.Combine("out.ndjson");
        File.WriteAllText(outFile, "{\"complete\":1}\n{\"torn");
        var config = dir.Combine("fluent-bit.conf");
        File.WriteAllText(config, $"[INPUT]\n    Name tail\n    Path {dir.Combine("*.log")}\n[OUTPUT]\n    Name file\n    Path {outFile}\n");
        var missing = dir.Combine("missing.ndjson");
        var other = dir.Combine("other.conf");
        File.WriteAllText(other, $"[INPUT]\n    Name tail\n    Path {dir.Combine("*.log")}\n[OUTPUT]\n    Name file\n    Path {missing}\n");

        Assert.Equal(0, ChildProcess.RunKansoku(s_timeout, "agent", "--check", "--config", config).ExitCode);
        Assert.Equal(0, ChildProcess.RunKansoku(s_timeout, "agent", "--check", "--config", other).ExitCode);

        Assert.Equal("{\"complete\":1}\n{\"torn", File.ReadAllText(outFile));
        Assert.False(File.Exists(missing), "--check created the output file");
    }

    [Fact]
    public void The_sample_yaml_config_is_valid()
    {
        var sample = Path.Combine(RepoPaths.Root, "samples", "agent.yaml");

        var (code, stdout, stderr) = ChildProcess.RunKansoku(s_timeout, "agent", "--check", "-c", sample);

        Assert.True(code == 0, stderr);
        Assert.Equal(2, CountOccurrences(stdout, "input tail"));
        Assert.Contains("output elasticsearch", stdout, StringComparison.Ordinal);
        Assert.Contains("configuration is valid", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[OUTPUT]\n    Name  es\n    Match *\n    Port  ninety-two\n", 4, "Port")]
    [InlineData("[INPUT]\n    Name  tail\n    Path  /tmp/none/*.log\n    Parser no_such_parser\n[OUTPUT]\n    Name stdout\n", 4, "Parser")]
    [InlineData("[INPUT]\n    Name  tail\n    Path  /tmp/none/*.log\n[FILTER]\n    Name  grep\n    Match *\n    Regex level (unclosed\n[OUTPUT]\n    Name stdout\n", 7, "Regex")]
    // The section's line: the loaders make Name the component's type.
    [InlineData("[INPUT]\n    Name  syslog\n[OUTPUT]\n    Name stdout\n", 1, "Name")]
    public void A_broken_config_exits_non_zero_naming_file_line_and_key(string text, int line, string key)
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("broken.conf");
        File.WriteAllText(config, text);

        var (code, stdout, stderr) = ChildProcess.RunKansoku(s_timeout, "agent", "--check", "--config", config);

        Assert.NotEqual(0, code);
        Assert.Contains($"{config}:{line}:", stderr, StringComparison.Ordinal);
        Assert.Contains(key, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("configuration is valid", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_yaml_config_names_file_line_and_key()
    {
        using var dir = new TempDirectory();
        var config = dir.Combine("agent.yaml");
        File.WriteAllText(config, """
            pipeline:
              inputs:
                - name: tail
                  path: /tmp/none/*.log
                  read_from_head: perhaps
              outputs:
                - name: stdout
            """);

        var (code, _, stderr) = ChildProcess.RunKansoku(s_timeout, "agent", "--check", "--config", config);

        Assert.NotEqual(0, code);
        Assert.Contains($"{config}:5:", stderr, StringComparison.Ordinal);
        Assert.Contains("read_from_head", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Unknown_keys_are_warned_about_by_name_in_check_and_in_a_run()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("logs"));
        var config = dir.Combine("fluent-bit.conf");
        File.WriteAllText(config, $"""
            [SERVICE]
                Flush          1
                Daemon         off
                HTTP_Port      2020
                HTTP_Srever    On

            [INPUT]
                Name           tail
                Path           {dir.Combine("logs", "*.log")}
                Bogus_Setting  1

            [OUTPUT]
                Name           stdout
                Match          *
                Colour_Mode    loud
            """);

        var (code, stdout, stderr) = ChildProcess.RunKansoku(s_timeout, "agent", "--check", "--config", config);
        Assert.True(code == 0, stderr);
        Assert.Contains("Bogus_Setting", stdout, StringComparison.Ordinal);
        Assert.Contains($"{config}:10:", stdout, StringComparison.Ordinal);
        Assert.Contains("Colour_Mode", stdout, StringComparison.Ordinal);
        // A typo in [SERVICE] is named; keys we know (Flush, Daemon, HTTP_Port) are not.
        Assert.Contains("HTTP_Srever", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("'Daemon'", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("'HTTP_Port'", stdout, StringComparison.Ordinal);

        var (_, runStderr) = Agent.Succeed("agent", "--config", config, "--state-dir", dir.Combine("state"), "--once");
        Assert.Contains("Bogus_Setting", runStderr, StringComparison.Ordinal);
        Assert.Contains("Colour_Mode", runStderr, StringComparison.Ordinal);
        Assert.Contains("[warn]", runStderr, StringComparison.Ordinal);
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
