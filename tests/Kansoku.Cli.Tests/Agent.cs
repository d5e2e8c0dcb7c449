using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary>Command lines for <c>kansoku agent</c> in flag mode, and runs that must succeed.</summary>
internal static class Agent
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static string[] Flags(string glob, string output, string stateDirectory, params string[] more) =>
        ["agent", "--path", glob, "--output", output, "--state-dir", stateDirectory, .. more];

    /// <summary>Runs to completion and asserts exit code 0.</summary>
    public static (string Stdout, string Stderr) Succeed(params string[] args)
    {
        var (code, stdout, stderr) = ChildProcess.RunKansoku(RunTimeout, args);
        Assert.True(code == 0, $"kansoku {string.Join(' ', args)} exited {code}: {stderr}");
        return (stdout, stderr);
    }
}
