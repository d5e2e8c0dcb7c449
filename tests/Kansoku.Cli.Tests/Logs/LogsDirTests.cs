using System.Globalization;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests.Logs;

/// <summary>
/// <c>kansoku logs --dir</c>: a node's files in the kubelet's layout read directly — instances, rotation (plain and
/// gzip'd), CRI and docker partial lines, the same selection flags as against the server, and following.
/// </summary>
public sealed class LogsDirTests
{
    private static readonly DateTime s_t0 = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    private static string Cri(int second, string content, string stream = "stdout", string tag = "F") =>
        ContainerLog.Line(s_t0.AddSeconds(second), content, stream, tag);

    /// <summary>shop/web-1 with containers web (instances 0, 1 rotated twice, and 2) and sidecar; kube-system/dns-1.</summary>
    private static (PodLogDirectory Web, PodLogDirectory Sidecar, PodLogDirectory Dns) WriteNode(string root)
    {
        var web = new PodLogDirectory(root, "shop", "web-1", "web");
        web.Append("0.log", Cri(0, "instance 0"));
        web.WriteGzip("1.log.20261125-080010.gz", Cri(10, "instance 1 a"), Cri(11, "split ", "stderr", "P"));
        web.Append("1.log.20261125-080020", Cri(12, "across files", "stderr", "P"), Cri(13, "instance 1 b"), Cri(14, "!", "stderr"));
        web.Append("1.log", Cri(15, "instance 1 c"));
        web.Append("2.log", Cri(20, "instance 2 a"), Cri(22, "instance 2 b", "stderr"), Cri(24, "instance 2 c"));
        var sidecar = new PodLogDirectory(root, "shop", "web-1", "sidecar");
        sidecar.Append("0.log", Cri(21, "sidecar a"), Cri(23, "sidecar b"));
        var dns = new PodLogDirectory(root, "kube-system", "dns-1", "dns");
        dns.Append("0.log", Cri(5, "dns a"));
        return (web, sidecar, dns);
    }

    [Fact]
    public void Prints_the_current_instances_of_the_selected_containers_merged_in_time_order()
    {
        using var dir = new TempDirectory();
        WriteNode(dir.Path);

        var lines = Logs.Lines("--dir", dir.Combine("pods"), "-n", "shop", "web-1");

        Assert.Equal(["web-1 web instance 2 a", "web-1 sidecar sidecar a", "web-1 web instance 2 b", "web-1 sidecar sidecar b", "web-1 web instance 2 c"], lines);
    }

    [Fact]
    public void Previous_reads_the_instance_before_the_current_one_across_gzip_and_plain_rotations_joining_split_lines()
    {
        using var dir = new TempDirectory();
        WriteNode(dir.Path);

        // --dir also accepts /var/log itself.
        var lines = Logs.Lines("--dir", dir.Path, "-n", "shop", "web-1", "-c", "web", "--previous", "--timestamps");

        Assert.Equal(
        [
            "web-1 web 2026-11-25T08:00:10Z instance 1 a",
            "web-1 web 2026-11-25T08:00:13Z instance 1 b",
            // A joined line is printed when its last piece is read, with its first piece's time, as the agent ships it.
            "web-1 web 2026-11-25T08:00:11Z split across files!",
            "web-1 web 2026-11-25T08:00:15Z instance 1 c",
        ], lines);
    }

    [Fact]
    public void Previous_without_an_earlier_instance_exits_1()
    {
        using var dir = new TempDirectory();
        WriteNode(dir.Path);

        var (code, stdout, stderr) = Logs.Run("--dir", dir.Path, "-n", "shop", "web-1", "-c", "sidecar", "-p");

        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("previous", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "-A", "--tail", "2" }, new[] { "web-1 sidecar sidecar b", "web-1 web instance 2 c" })]
    [InlineData(new[] { "-A", "--since-time", "2026-11-25T08:00:22Z" }, new[] { "web-1 web instance 2 b", "web-1 sidecar sidecar b", "web-1 web instance 2 c" })]
    [InlineData(new[] { "-A", "-l", "stream=stderr" }, new[] { "web-1 web instance 2 b" })]
    [InlineData(new[] { "-A", "-g", "^(dns|sidecar) a$" }, new[] { "dns-1 dns dns a", "web-1 sidecar sidecar a" })]
    [InlineData(new[] { "-n", "kube-system" }, new[] { "dns-1 dns dns a" })]
    [InlineData(new[] { "-A", "deployment/web", "-c", "side.*" }, new string[0])]
    [InlineData(new[] { "-A", "web-[0-9]", "-c", "side.*", "-o", "raw" }, new[] { "sidecar a", "sidecar b" })]
    [InlineData(new[] { "-A", "dns-1", "-o", "json" }, new[] { "{\"timestamp\":\"2026-11-25T08:00:05Z\",\"labels\":{\"container\":\"dns\",\"namespace\":\"kube-system\",\"pod\":\"dns-1\",\"stream\":\"stdout\"},\"line\":\"dns a\"}" })]
    public void The_selection_flags_work_on_files_as_on_the_server(string[] args, string[] expected)
    {
        using var dir = new TempDirectory();
        WriteNode(dir.Path);

        var (code, stdout, stderr) = Logs.Run(["--dir", dir.Combine("pods"), .. args]);

        if (expected.Length == 0)
        {
            // Nothing matches: said so, as kubectl does for a missing pod.
            Assert.Equal(1, code);
            Assert.Contains("no container logs", stderr, StringComparison.Ordinal);
            return;
        }
        Assert.True(code == 0, stderr);
        Assert.Equal(expected, Logs.SplitLines(stdout));
    }

    [Fact]
    public void Docker_json_files_are_decoded_and_their_split_lines_joined()
    {
        using var dir = new TempDirectory();
        var app = new PodLogDirectory(dir.Path, "default", "api-0", "api");
        app.Append("0.log",
            PodLogDirectory.Docker(s_t0, "first\n"),
            PodLogDirectory.Docker(s_t0.AddSeconds(1), "a long line, "),
            PodLogDirectory.Docker(s_t0.AddSeconds(2), "oops\n", "stderr"),
            PodLogDirectory.Docker(s_t0.AddSeconds(3), "continued \"quoted\"\r\n"));

        var lines = Logs.Lines("--dir", dir.Path, "api-0", "--prefix=false");

        Assert.Equal(["first", "oops", "a long line, continued \"quoted\""], lines);
    }

    [Theory]
    [InlineData(new[] { "--query", "{pod=\"x\"}" }, "--query")]
    [InlineData(new[] { "-l", "app=web" }, "--dir")]
    public void Flags_that_need_the_server_are_refused_with_dir(string[] args, string message)
    {
        using var dir = new TempDirectory();
        WriteNode(dir.Path);

        var (code, _, stderr) = Logs.Run(["--dir", dir.Path, .. args]);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_that_is_not_the_kubelets_exits_2()
    {
        using var dir = new TempDirectory();

        var (code, _, stderr) = Logs.Run("--dir", dir.Path, "-A");

        Assert.Equal(2, code);
        Assert.Contains("pods", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_picks_up_appends_rotations_restarts_and_new_pods_then_stops_on_sigterm()
    {
        using var dir = new TempDirectory();
        var web = new PodLogDirectory(dir.Path, "shop", "web-1", "web");
        web.Append("0.log", Cri(0, "history"), Cri(1, "half ", tag: "P"));

        using var process = ChildProcess.StartKansoku(new Dictionary<string, string?> { ["KANSOKU_NAMESPACE"] = null },
            "logs", "--dir", dir.Path, "-n", "shop", "-f", "--prefix=false");
        async Task Expect(params string[] lines)
        {
            await Eventually.WaitUntilAsync(() => Logs.SplitLines(process.Stdout).Length >= lines.Length || process.HasExited, 20_000,
                () => $"stdout: {process.Stdout}\nstderr: {process.Stderr}");
            Assert.Equal(lines, Logs.SplitLines(process.Stdout));
        }

        await Expect("history");
        web.Append("0.log", Cri(2, "and whole"), Cri(3, "appended"));
        await Expect("history", "half and whole", "appended");
        web.Append("0.log", Cri(4, "before rotation"));
        web.Rotate("0.log", "20261125-080005");
        web.Append("0.log", Cri(5, "after rotation"));
        await Expect("history", "half and whole", "appended", "before rotation", "after rotation");
        web.Append("1.log", Cri(6, "after restart"));
        var other = new PodLogDirectory(dir.Path, "shop", "web-2", "web");
        other.Append("0.log", Cri(7, "new pod"));
        new PodLogDirectory(dir.Path, "elsewhere", "web-3", "web").Append("0.log", Cri(8, "other namespace"));
        await Expect("history", "half and whole", "appended", "before rotation", "after rotation", "after restart", "new pod");

        process.Terminate();

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "no exit within 10 s of SIGTERM");
        Assert.True(process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"exit {process.ExitCode}: {process.Stderr}"));
        Assert.DoesNotContain("other namespace", process.Stdout, StringComparison.Ordinal);
    }
}
