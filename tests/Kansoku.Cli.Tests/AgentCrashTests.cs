using System.Globalization;
using System.Text;
using System.Text.Json;
using Kansoku.Testing;
using Xunit.Abstractions;

namespace Kansoku.Cli.Tests;

/// <summary>
/// The agent's promise end to end: a writer produces CRI files with kubelet-style rotation while the real agent process
/// runs and is killed with SIGKILL again and again; at the end every record has arrived.
/// </summary>
public sealed class AgentCrashTests(ITestOutputHelper output)
{
    private const string Namespace = "shop";
    private const string Pod = "web-7d9f8b6c5d-x2x4z";
    private const string PodUid = "4f7c1e2a-9b3d-4e5f-8a6b-1c2d3e4f5a6b";
    private const string Container = "web";
    private const string ContainerId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Kill_9_during_ingest_and_rotation_loses_no_record()
    {
        using var dir = new TempDirectory();
        var podDir = dir.Combine("pods", $"{Namespace}_{Pod}_{PodUid}", Container);
        var containers = dir.Combine("containers");
        Directory.CreateDirectory(podDir);
        Directory.CreateDirectory(containers);
        var live = Path.Combine(podDir, "0.log");
        File.WriteAllText(live, "");
        File.CreateSymbolicLink(Path.Combine(containers, $"{Pod}_{Namespace}_{Container}-{ContainerId}.log"), live);
        var outFile = dir.Combine("out.ndjson");
        var state = dir.Combine("state");
        string[] agentArgs = ["agent", "--path", Path.Combine(containers, "*.log"), "--output", "file:" + outFile, "--state-dir", state, "--read-from", "head"];

        const int Total = 60_000;
        using var writerStop = new CancellationTokenSource();
        var writer = Task.Run(() => WriteWithRotation(live, Total, linesPerFile: 7_000, writerStop.Token));

        var kills = 0;
        var random = new Random(42);
        while (!writer.IsCompleted || kills < 3)
        {
            using var agent = ChildProcess.StartKansoku(agentArgs);
            await Task.Delay(random.Next(300, 900));
            if (agent.HasExited)
            {
                Assert.Fail($"agent exited early: {agent.Stderr}");
            }
            agent.Kill();
            kills++;
            if (kills > 40)
            {
                break;
            }
        }
        await writer;

        var (code, _, stderr) = ChildProcess.RunKansoku(TimeSpan.FromSeconds(120), [.. agentArgs, "--once"]);
        Assert.True(code == 0, $"--once exited {code}: {stderr}");

        var seen = new Dictionary<int, int>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(outFile))
        {
            lineNumber++;
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            var seq = root.GetProperty("seq").GetInt32();
            seen[seq] = seen.GetValueOrDefault(seq) + 1;
            if (lineNumber == 1)
            {
                var kubernetes = root.GetProperty("kubernetes");
                Assert.Equal(Namespace, kubernetes.GetProperty("namespace_name").GetString());
                Assert.Equal(Pod, kubernetes.GetProperty("pod_name").GetString());
                Assert.Equal(Container, kubernetes.GetProperty("container_name").GetString());
                Assert.Equal(ContainerId, kubernetes.GetProperty("docker_id").GetString());
                Assert.Equal("stdout", root.GetProperty("stream").GetString());
            }
        }
        var missing = Enumerable.Range(0, Total).Where(seq => !seen.ContainsKey(seq)).ToList();
        var duplicates = seen.Values.Sum(count => count - 1);
        output.WriteLine($"{kills} kills; {Total} records written; {seen.Count} distinct arrived; {missing.Count} missing; {duplicates} duplicates (re-sent unacknowledged batches)");
        Assert.Empty(missing);
    }

    /// <summary>Writes numbered JSON lines as CRI records, renaming the file every <paramref name="linesPerFile"/> lines as the kubelet does.</summary>
    private static async Task WriteWithRotation(string live, int total, int linesPerFile, CancellationToken cancellationToken)
    {
        var stamp = new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);
        var stream = new FileStream(live, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var inFile = 0;
        var text = new StringBuilder();
        for (var seq = 0; seq < total && !cancellationToken.IsCancellationRequested; seq++)
        {
            var time = stamp.AddMilliseconds(seq).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
            text.Clear();
            if (seq % 10 == 3)
            {
                // A long line split by the runtime into P records and a closing F record.
                text.Append(time).Append(" stdout P {\"seq\":").Append(seq).Append(",\"level\":\"info\",\"msg\":\"").Append('x', 100).Append('\n');
                text.Append(time).Append(" stdout F ").Append('y', 50).Append("\"}\n");
            }
            else
            {
                text.Append(time).Append(" stdout F {\"seq\":").Append(seq).Append(",\"level\":\"info\",\"msg\":\"order placed\"}\n");
            }
            stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            if (++inFile == linesPerFile)
            {
                inFile = 0;
                await stream.DisposeAsync();
                stamp = stamp.AddMinutes(1);
                File.Move(live, $"{live}.{stamp:yyyyMMdd-HHmmss}");
                stream = new FileStream(live, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            }
            if (seq % 200 == 0)
            {
                await Task.Delay(20, cancellationToken);
            }
        }
        await stream.DisposeAsync();
    }
}
