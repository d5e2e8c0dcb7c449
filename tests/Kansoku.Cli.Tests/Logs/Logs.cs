using System.Globalization;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests.Logs;

/// <summary>Runs of <c>kansoku logs</c> and the clock values tests compare against.</summary>
internal static class Logs
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static long NowNanos() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    public static long Nanos(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;

    /// <summary><c>kansoku logs ARGS</c> with KANSOKU_NAMESPACE and KANSOKU_URL cleared unless given.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var variables = new Dictionary<string, string?> { ["KANSOKU_NAMESPACE"] = null, ["KANSOKU_URL"] = null, ["NO_COLOR"] = null };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }
        return ChildProcess.RunKansoku(RunTimeout, variables, ["logs", .. args]);
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Run(null, args);

    /// <summary>Runs and asserts exit 0; returns stdout's lines.</summary>
    public static string[] Lines(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.True(code == 0, string.Create(CultureInfo.InvariantCulture, $"kansoku logs {string.Join(' ', args)} exited {code}: {stderr}"));
        return SplitLines(stdout);
    }

    public static string[] SplitLines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
