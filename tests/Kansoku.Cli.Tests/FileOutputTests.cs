using System.Text.Json;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary>Flag mode with <c>--output file:PATH</c> and <c>stdout</c>: appending, checkpoints, read-from, and the record shape.</summary>
public sealed class FileOutputTests
{
    private static readonly DateTime s_t0 = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    private static string Order(int seq) => $"{{\"seq\":{seq},\"level\":\"info\",\"msg\":\"order placed\"}}";

    [Fact]
    public void File_output_appends_and_a_second_once_run_sends_only_what_is_new()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-7d9f8b6c5d-x2x4z", "web");
        log.Append([.. Enumerable.Range(0, 3).Select(i => ContainerLog.Line(s_t0.AddSeconds(i), Order(i)))]);
        var outFile = dir.Combine("records.ndjson");
        File.WriteAllText(outFile, "{\"written\":\"before the agent\"}\n");
        var args = Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "file:" + outFile, dir.Combine("state"), "--read-from", "head", "--once");

        Agent.Succeed(args);
        Assert.Equal(4, Ndjson.ReadFile(outFile).Count);

        log.Append([.. Enumerable.Range(3, 2).Select(i => ContainerLog.Line(s_t0.AddSeconds(i), Order(i)))]);
        Agent.Succeed(args);
        Agent.Succeed(args);

        var records = Ndjson.ReadFile(outFile);
        Assert.Equal("before the agent", records[0].Text("written"));
        Assert.Equal([0, 1, 2, 3, 4], records.Skip(1).Select(r => r.GetProperty("seq").GetInt32()));
    }

    [Fact]
    public void Records_have_fluent_bits_kubernetes_shape()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-7d9f8b6c5d-x2x4z", "web");
        log.Append(
            """2026-11-25T17:00:00.123456789+09:00 stdout F {"level":"warn","msg":"slow query","duration_ms":812.5,"user":{"id":7}}""",
            "2026-11-25T08:00:01Z stderr F ERROR connection refused: db:5432",
            "2026-11-25T08:00:02.5Z stdout F GET /health 200",
            "2026-11-25T08:00:03.000000001Z stdout F こんにちは \"quoted\" \\ tab\there");
        var outFile = dir.Combine("out.ndjson");

        using (var agent = ChildProcess.StartKansoku(new Dictionary<string, string?> { ["NODE_NAME"] = "node-a1" },
                   Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "file:" + outFile, dir.Combine("state"), "--read-from", "head", "--once")))
        {
            Assert.True(agent.WaitForExit(Agent.RunTimeout), agent.Stderr);
            Assert.True(agent.ExitCode == 0, agent.Stderr);
        }

        // Order holds within a stream; the multi-line joiner may hold a stderr line while stdout goes on.
        var records = Ndjson.ReadFile(outFile).OrderBy(r => r.Text("time"), StringComparer.Ordinal).ToList();
        Assert.Equal(4, records.Count);

        var json = records[0];
        Assert.Equal("2026-11-25T08:00:00.123456789Z", json.Text("time"));
        Assert.Equal("stdout", json.Text("stream"));
        Assert.Equal("""{"level":"warn","msg":"slow query","duration_ms":812.5,"user":{"id":7}}""", json.Text("log"));
        Assert.Equal("warn", json.Text("level"));
        Assert.Equal("slow query", json.Text("msg"));
        Assert.Equal(812.5, json.GetProperty("duration_ms").GetDouble());
        Assert.Equal(7, json.GetProperty("user").GetProperty("id").GetInt32());
        var kubernetes = json.GetProperty("kubernetes");
        Assert.Equal("shop", kubernetes.Text("namespace_name"));
        Assert.Equal("web-7d9f8b6c5d-x2x4z", kubernetes.Text("pod_name"));
        Assert.Equal("web", kubernetes.Text("container_name"));
        Assert.Equal(log.ContainerId, kubernetes.Text("docker_id"));
        Assert.Equal(log.PodUid, kubernetes.Text("pod_id"));
        Assert.Equal("node-a1", kubernetes.Text("host"));

        var error = records[1];
        Assert.Equal("2026-11-25T08:00:01.000000000Z", error.Text("time"));
        Assert.Equal("stderr", error.Text("stream"));
        Assert.Equal("ERROR connection refused: db:5432", error.Text("log"));
        Assert.Equal("error", error.Text("level"));

        var plain = records[2];
        Assert.Equal("2026-11-25T08:00:02.500000000Z", plain.Text("time"));
        Assert.Equal("GET /health 200", plain.Text("log"));
        Assert.False(plain.TryGetProperty("level", out _), plain.ToString());

        Assert.Equal("2026-11-25T08:00:03.000000001Z", records[3].Text("time"));
        Assert.Equal("こんにちは \"quoted\" \\ tab\there", records[3].Text("log"));

        foreach (var record in records)
        {
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", record.Text("time"));
        }
    }

    [Fact]
    public void Pods_directory_paths_give_pod_uid_without_a_container_id()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "payments", "api-0", "api");
        log.Append(ContainerLog.Line(s_t0, "started"));
        var outFile = dir.Combine("out.ndjson");

        Agent.Succeed(Agent.Flags(Path.Combine(dir.Path, "pods", "*", "*", "*.log"), "file:" + outFile, dir.Combine("state"), "--read-from", "head", "--once"));

        var kubernetes = Assert.Single(Ndjson.ReadFile(outFile)).GetProperty("kubernetes");
        Assert.Equal("payments", kubernetes.Text("namespace_name"));
        Assert.Equal("api-0", kubernetes.Text("pod_name"));
        Assert.Equal("api", kubernetes.Text("container_name"));
        Assert.Equal(log.PodUid, kubernetes.Text("pod_id"));
        Assert.False(kubernetes.TryGetProperty("docker_id", out _), kubernetes.ToString());
    }

    [Fact]
    public void Read_from_tail_skips_what_was_there_and_head_reads_it()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        log.Append(ContainerLog.Line(s_t0, Order(0)), ContainerLog.Line(s_t0.AddSeconds(1), Order(1)));
        var glob = ContainerLog.ContainersGlob(dir.Path);
        var tailOut = dir.Combine("tail.ndjson");
        var headOut = dir.Combine("head.ndjson");

        // The default is tail, as in Fluent Bit.
        Agent.Succeed(Agent.Flags(glob, "file:" + tailOut, dir.Combine("tail-state"), "--once"));
        Assert.Empty(Ndjson.ReadFile(tailOut));
        log.Append(ContainerLog.Line(s_t0.AddSeconds(2), Order(2)));
        Agent.Succeed(Agent.Flags(glob, "file:" + tailOut, dir.Combine("tail-state"), "--read-from", "tail", "--once"));
        Agent.Succeed(Agent.Flags(glob, "file:" + headOut, dir.Combine("head-state"), "--read-from", "head", "--once"));

        Assert.Equal([2], Ndjson.ReadFile(tailOut).Select(r => r.GetProperty("seq").GetInt32()));
        Assert.Equal([0, 1, 2], Ndjson.ReadFile(headOut).Select(r => r.GetProperty("seq").GetInt32()));
    }

    [Fact]
    public void Stdout_output_writes_only_records_to_stdout()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        log.Append([.. Enumerable.Range(0, 50).Select(i => ContainerLog.Line(s_t0.AddMilliseconds(i), Order(i)))]);

        var (stdout, stderr) = Agent.Succeed(Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "stdout", dir.Combine("state"), "--read-from", "head", "--once"));

        var records = Ndjson.Parse(stdout);
        Assert.Equal(Enumerable.Range(0, 50), records.Select(r => r.GetProperty("seq").GetInt32()));
        Assert.All(records, r => Assert.Equal("web-1", r.GetProperty("kubernetes").Text("pod_name")));
        Assert.Contains("agent started", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_none_keeps_json_lines_as_text()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        log.Append(ContainerLog.Line(s_t0, Order(0)));

        var (stdout, _) = Agent.Succeed([.. Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "stdout", dir.Combine("state"), "--read-from", "head", "--once"), "--parser", "none"]);

        var record = Assert.Single(Ndjson.Parse(stdout));
        Assert.Equal(Order(0), record.Text("log"));
        Assert.False(record.TryGetProperty("seq", out _), record.ToString());
        Assert.Equal(JsonValueKind.Object, record.GetProperty("kubernetes").ValueKind);
    }
}
