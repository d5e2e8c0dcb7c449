using System.Text.Json;
using System.Text.Json.Nodes;
using Kansoku.Testing;
using Kansoku.Testing.Kubernetes;

namespace Kansoku.Cli.Tests;

/// <summary>
/// <c>kansoku agent --kubeconfig</c> end to end: the program loads a kubeconfig, lists and watches a fake API server on
/// 127.0.0.1 and labels the records it ships. Run with <c>KANSOKU_BINARY</c> set, this is the proof that the NativeAOT
/// build's YAML (kubeconfig) and JSON (API objects) paths work, which the trimmer could otherwise break silently.
/// </summary>
public sealed class AgentKubernetesApiTests
{
    private const string Token = "kansoku-cli-test-token";
    private const string WebappId = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public async Task Records_get_pod_metadata_from_the_API_server_in_the_kubeconfig()
    {
        await using var server = FakeKubeApiServer.FromTestData();
        server.RequiredToken = Token;
        using var dir = new TempDirectory();
        var containers = dir.Combine("containers");
        Directory.CreateDirectory(containers);
        File.WriteAllText(Path.Combine(containers, $"webapp-7d4b9c6f5d-x2x8k_demo_webapp-{WebappId}.log"),
            "2026-11-25T08:00:00.000000000Z stdout F {\"level\":\"info\",\"msg\":\"order placed\"}\n"
            + "2026-11-25T08:00:01.000000000Z stderr F plain text line\n");
        var kubeconfig = WriteKubeconfig(dir, server.Url);
        var outFile = dir.Combine("out.ndjson");

        var (code, _, stderr) = ChildProcess.RunKansoku(TimeSpan.FromSeconds(60),
            new Dictionary<string, string?> { ["NODE_NAME"] = "worker-1" },
            "agent", "--path", Path.Combine(containers, "*.log"), "--output", "file:" + outFile, "--state-dir", dir.Combine("state"),
            "--read-from", "head", "--once", "--kubeconfig", kubeconfig);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains($"kubernetes: watching {server.Url}", stderr, StringComparison.Ordinal);
        Assert.Contains(server.Requests, r => r.Contains("fieldSelector=spec.nodeName%3Dworker-1", StringComparison.Ordinal));
        var records = File.ReadAllLines(outFile);
        Assert.Equal(2, records.Length);
        foreach (var line in records)
        {
            using var record = JsonDocument.Parse(line);
            var kubernetes = record.RootElement.GetProperty("kubernetes");
            Assert.Equal("3f1c2a9e-5b7d-4e21-9a0c-6d8e2f4b1a77", kubernetes.GetProperty("pod_id").GetString());
            Assert.Equal("webapp", kubernetes.GetProperty("labels").GetProperty("app").GetString());
            Assert.Equal("json", kubernetes.GetProperty("annotations").GetProperty("kansoku.io/parser").GetString());
            Assert.Equal("worker-1", kubernetes.GetProperty("host").GetString());
            Assert.Equal("ghcr.io/example/webapp:1.4.2", kubernetes.GetProperty("container_image").GetString());
            Assert.Equal("Deployment", kubernetes.GetProperty("owner_kind").GetString());
            Assert.Equal("webapp", kubernetes.GetProperty("owner_name").GetString());
            Assert.Equal("shop", kubernetes.GetProperty("namespace_labels").GetProperty("team").GetString());
        }
    }

    [Fact]
    public async Task A_pod_added_while_the_agent_runs_reaches_it_through_the_watch()
    {
        await using var server = FakeKubeApiServer.FromTestData();
        server.RequiredToken = Token;
        using var dir = new TempDirectory();
        var containers = dir.Combine("containers");
        Directory.CreateDirectory(containers);
        var outFile = dir.Combine("out.ndjson");
        using var agent = ChildProcess.StartKansoku(new Dictionary<string, string?> { ["NODE_NAME"] = "worker-1" },
            "agent", "--path", Path.Combine(containers, "*.log"), "--output", "file:" + outFile, "--state-dir", dir.Combine("state"),
            "--read-from", "head", "--kubeconfig", WriteKubeconfig(dir, server.Url));
        await Eventually.WaitUntilAsync(() => server.CountRequests(FakeKubeApiServer.Pods, watch: true) >= 1 || agent.HasExited,
            describe: () => "no pod watch: " + agent.Stderr);
        Assert.False(agent.HasExited, agent.Stderr);

        var uid = "b0b0b0b0-1111-4222-8333-444455556666";
        server.Send(FakeKubeApiServer.Pods, "ADDED", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "api-5c8d7b9f4-k2m3n",
                ["namespace"] = "demo",
                ["uid"] = uid,
                ["resourceVersion"] = "48700",
                ["creationTimestamp"] = "2026-11-25T08:00:00Z",
                ["labels"] = new JsonObject { ["app"] = "api" },
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "worker-1",
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "api",
                    ["image"] = "ghcr.io/example/api:3.1",
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "250m", ["memory"] = "64Mi" } },
                }),
            },
        });
        // The event and the file race inside the agent; a record read before the pod is known carries path metadata
        // only, so keep writing until a labelled record comes out.
        var log = Path.Combine(containers, $"api-5c8d7b9f4-k2m3n_demo_api-{new string('b', 64)}.log");
        var seq = 0;
        await Eventually.WaitUntilAsync(() =>
        {
            File.AppendAllText(log, $"2026-11-25T08:00:{seq % 60:00}.000000000Z stdout F {{\"seq\":{seq++}}}\n");
            return File.Exists(outFile) && File.ReadLines(outFile).Any(line => LabelledApiRecord(line, uid));
        }, timeoutMs: 20_000, describe: () => "no labelled record for the added pod: " + agent.Stderr);
        Assert.False(agent.HasExited, agent.Stderr);
    }

    private static bool LabelledApiRecord(string line, string uid)
    {
        using var record = JsonDocument.Parse(line);
        return record.RootElement.TryGetProperty("kubernetes", out var kubernetes)
            && kubernetes.TryGetProperty("pod_id", out var podId) && podId.GetString() == uid
            && kubernetes.TryGetProperty("labels", out var labels) && labels.TryGetProperty("app", out var app) && app.GetString() == "api"
            && kubernetes.GetProperty("container_image").GetString() == "ghcr.io/example/api:3.1";
    }

    private static string WriteKubeconfig(TempDirectory dir, string serverUrl)
    {
        var path = dir.Combine("kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: fake
                cluster:
                  server: {serverUrl}
            users:
              - name: agent
                user:
                  token: {Token}
            contexts:
              - name: fake
                context:
                  cluster: fake
                  user: agent
                  namespace: demo
            current-context: fake
            """);
        return path;
    }
}
