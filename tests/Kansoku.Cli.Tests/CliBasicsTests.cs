using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary><c>kansoku version</c>, <c>--help</c> and the agent's refusal of incomplete command lines.</summary>
public sealed class CliBasicsTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Version_prints_the_program_and_a_semantic_version()
    {
        var (code, stdout, stderr) = ChildProcess.RunKansoku(s_timeout, "version");

        Assert.True(code == 0, stderr);
        Assert.Matches(@"^kansoku \d+\.\d+\.\d+\S* \(\.NET \d+\.\d+\.\d+, linux-", stdout);
        Assert.Equal("", stderr.Trim());
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var (code, stdout, stderr) = ChildProcess.RunKansoku(s_timeout, "--help");

        Assert.True(code == 0, stderr);
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+version\s+\S", stdout);
        Assert.Matches(@"(?m)^\s+agent\s+\S", stdout);
    }

    [Fact]
    public void Agent_help_documents_every_contract_flag()
    {
        var (code, stdout, stderr) = ChildProcess.RunKansoku(s_timeout, "agent", "--help");

        Assert.True(code == 0, stderr);
        foreach (var flag in (string[])["--config", "--check", "--path", "--output", "--state-dir", "--read-from", "--once", "--http-listen"])
        {
            Assert.Matches($@"(?m)^\s+(-\w, )?{flag}\b", stdout);
        }
        foreach (var form in (string[])["stdout", "file:PATH", "loki:URL", "es:URL", "kansoku:URL"])
        {
            Assert.Contains(form, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Agent_without_config_or_output_exits_non_zero_and_says_what_is_missing()
    {
        using var dir = new Kansoku.Testing.TempDirectory();

        var (code, stdout, stderr) = ChildProcess.RunKansoku(s_timeout, "agent", "--path", dir.Combine("*.log"), "--state-dir", dir.Combine("state"));

        Assert.NotEqual(0, code);
        Assert.Contains("--output", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout.Trim());
    }

    [Theory]
    [InlineData("ftp://example", "unknown output")]
    [InlineData("file:", "needs a path")]
    [InlineData("es:", "needs a URL")]
    public void Agent_refuses_a_bad_output_form(string output, string message)
    {
        using var dir = new Kansoku.Testing.TempDirectory();

        var (code, _, stderr) = ChildProcess.RunKansoku(s_timeout, "agent", "--path", dir.Combine("*.log"), "--output", output, "--state-dir", dir.Combine("state"), "--once");

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Agent_refuses_an_unknown_read_from_value()
    {
        using var dir = new Kansoku.Testing.TempDirectory();

        var (code, _, stderr) = ChildProcess.RunKansoku(s_timeout, "agent", "--path", dir.Combine("*.log"), "--output", "stdout", "--read-from", "middle", "--once");

        Assert.NotEqual(0, code);
        Assert.Contains("middle", stderr, StringComparison.Ordinal);
    }
}
