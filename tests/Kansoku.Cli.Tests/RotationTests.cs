using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary>The kubelet rotates a file while the agent is stopped: the next run still reads the rotated file.</summary>
public sealed class RotationTests
{
    private static readonly DateTime s_t0 = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    private static string[] Lines(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => ContainerLog.Line(s_t0.AddMilliseconds(i), $"{{\"seq\":{i}}}"))];

    [Fact]
    public async Task A_file_rotated_after_a_kill_before_the_first_commit_is_still_read()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        log.Append(Lines(0, 100));
        var outFile = dir.Combine("out.ndjson");
        var args = Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "file:" + outFile, dir.Combine("state"), "--read-from", "head");

        // Killed once it follows the file and before its first flush (1 s): nothing delivered, nothing committed.
        using (var agent = ChildProcess.StartKansoku([.. args, "--log-level", "debug"]))
        {
            await Eventually.WaitUntilAsync(() => agent.Stderr.Contains(": following ", StringComparison.Ordinal) || agent.HasExited, 30_000, () => agent.Stderr);
            agent.Kill();
        }
        File.Move(log.FilePath, log.FilePath + ".20261125-080100");
        log.Append(Lines(100, 100));

        Agent.Succeed([.. args, "--once"]);

        Assert.Equal(Enumerable.Range(0, 200), Ndjson.ReadFile(outFile).Select(r => r.GetProperty("seq").GetInt32()).Order());
    }
}
