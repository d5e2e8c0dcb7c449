using System.Globalization;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary>
/// SIGTERM, as the kubelet sends it: the agent stops reading, delivers and checkpoints within a bound and exits; a
/// restart continues exactly where the delivered records end.
/// </summary>
public sealed class GracefulShutdownTests
{
    private static readonly DateTime s_t0 = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan s_exitBound = TimeSpan.FromSeconds(10);

    private static string Record(int seq) => $"{{\"seq\":{seq},\"level\":\"info\",\"msg\":\"order placed\"}}";

    [Fact]
    public async Task Sigterm_during_ingest_exits_0_and_a_restart_delivers_the_rest_without_duplicates()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        var outFile = dir.Combine("out.ndjson");
        var args = Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "file:" + outFile, dir.Combine("state"), "--read-from", "head");
        const int Total = 4000;

        using var agent = ChildProcess.StartKansoku(args);
        var writer = Task.Run(async () =>
        {
            for (var seq = 0; seq < Total; seq += 50)
            {
                log.Append([.. Enumerable.Range(seq, 50).Select(i => ContainerLog.Line(s_t0.AddMilliseconds(i), Record(i)))]);
                await Task.Delay(15);
            }
        });
        await Eventually.WaitUntilAsync(() => Ndjson.CountLines(outFile) >= 200 || agent.HasExited, 30_000, () => agent.Stderr);
        Assert.False(agent.HasExited, agent.Stderr);

        agent.Terminate();
        Assert.True(agent.WaitForExit(s_exitBound), "no exit within 10 s of SIGTERM");
        Assert.True(agent.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"exit {agent.ExitCode}: {agent.Stderr}"));
        Assert.Contains("SIGTERM", agent.Stderr, StringComparison.Ordinal);
        await writer;
        var deliveredBeforeStop = Ndjson.CountLines(outFile);

        Agent.Succeed([.. args, "--once"]);

        var seqs = Ndjson.ReadFile(outFile).Select(r => r.GetProperty("seq").GetInt32()).ToList();
        Assert.True(deliveredBeforeStop < Total, "the writer outran the test; nothing was left for the restart");
        Assert.Equal(Enumerable.Range(0, Total), seqs);
    }

    [Fact]
    public async Task Sigterm_with_an_unreachable_destination_keeps_the_buffer_for_the_next_run()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        const int Total = 100;
        log.Append([.. Enumerable.Range(0, Total).Select(i => ContainerLog.Line(s_t0.AddMilliseconds(i), Record(i)))]);
        var state = dir.Combine("state");
        var glob = ContainerLog.ContainersGlob(dir.Path);
        var nobody = $"http://127.0.0.1:{FakeHttpServer.FreePort()}";

        using (var agent = ChildProcess.StartKansoku([.. Agent.Flags(glob, "es:" + nobody, state, "--read-from", "head"), "--drain-timeout", "1"]))
        {
            await Eventually.WaitUntilAsync(() => agent.Stderr.Contains("retry", StringComparison.Ordinal) || agent.HasExited, 30_000, () => agent.Stderr);
            agent.Terminate();
            Assert.True(agent.WaitForExit(s_exitBound), "no exit within 10 s of SIGTERM");
            // 1: not everything was delivered within --drain-timeout; the rest stays in the buffer.
            Assert.True(agent.ExitCode == 1, string.Create(CultureInfo.InvariantCulture, $"exit {agent.ExitCode}: {agent.Stderr}"));
        }

        using var server = FakeHttpServer.Start(request => BulkBody.AllCreated(request.Body));
        Agent.Succeed(Agent.Flags(glob, "es:" + server.BaseUrl, state, "--read-from", "head", "--once"));

        var stored = server.Requests.SelectMany(r => BulkBody.Parse(r.Body)).Select(item => item.Document.GetProperty("seq").GetInt32());
        Assert.Equal(Enumerable.Range(0, Total), stored.Order());
    }
}
