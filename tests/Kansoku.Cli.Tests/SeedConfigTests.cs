using System.Text.Json;
using System.Text.RegularExpressions;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary>
/// The guide's fluent-bit.conf and parsers.conf (in the shared seed folder, read in place) load and run unchanged:
/// two tail inputs with their parsers, the kubernetes and grep filters, the elasticsearch output.
/// </summary>
public sealed class SeedConfigTests
{
    private const string Namespace = "monitoring-demo";
    private const string ContainersDirectory = "/var/log/containers";

    private static string SeedDirectory => Path.Combine(RepoPaths.Shared, "seed", "configs");
    private static string SeedConfig => Path.Combine(SeedDirectory, "fluent-bit.conf");

    [Fact]
    public void The_seed_config_checks_valid_and_prints_its_pipeline()
    {
        var (code, stdout, stderr) = ChildProcess.RunKansoku(TimeSpan.FromSeconds(30), "agent", "--check", "--config", SeedConfig);

        Assert.True(code == 0, stderr);
        Assert.Contains("inputs (2)", stdout, StringComparison.Ordinal);
        Assert.Contains("/var/log/containers/*webapp*.log", stdout, StringComparison.Ordinal);
        Assert.Contains("/var/log/containers/*postgres*.log", stdout, StringComparison.Ordinal);
        Assert.Contains("parser webapp_json: json", stdout, StringComparison.Ordinal);
        Assert.Contains("parser postgres_log: regex", stdout, StringComparison.Ordinal);
        Assert.Contains("filter kubernetes, Match *", stdout, StringComparison.Ordinal);
        Assert.Contains("filter grep, Match webapp.*", stdout, StringComparison.Ordinal);
        Assert.Contains("output elasticsearch, Match *", stdout, StringComparison.Ordinal);
        Assert.Contains("configuration is valid", stdout, StringComparison.Ordinal);
        // Every key of the seed is either honoured or deliberately accepted (DB, Mem_Buf_Limit, Type, Include_Tag_Key…);
        // a warning here would be a key we silently drop, and must then name it.
        var warnings = stdout[stdout.LastIndexOf("warnings", StringComparison.Ordinal)..];
        Assert.True(warnings.StartsWith("warnings: none", StringComparison.Ordinal) || warnings.Contains("unknown key", StringComparison.Ordinal), warnings);
    }

    [Fact]
    public async Task The_seed_config_runs_unchanged_on_var_log_containers_and_buffers_for_elasticsearch()
    {
        using var dir = new TempDirectory();
        var createdContainers = !Directory.Exists(ContainersDirectory);
        Directory.CreateDirectory(ContainersDirectory);
        var id = Guid.NewGuid().ToString("N")[..12];
        var webapp = ContainerLog.Create(dir.Path, Namespace, $"webapp-kansoku-test-{id}", "webapp", ContainersDirectory);
        var postgres = ContainerLog.Create(dir.Path, Namespace, $"postgres-kansoku-test-{id}", "postgres", ContainersDirectory);
        try
        {
            var state = dir.Combine("state");
            using var agent = ChildProcess.StartKansoku("agent", "--config", SeedConfig, "--state-dir", state, "--log-level", "debug");
            await WaitUntilFollowingAsync(agent, webapp, postgres);

            WriteGuideLogs(webapp, postgres);
            var buffer = Path.Combine(state, "buffer", "elasticsearch.0");
            await Eventually.WaitUntilAsync(
                () => BufferContents.CountInSegments(buffer, webapp.Pod) >= 3 && BufferContents.CountInSegments(buffer, postgres.Pod) >= 2 || agent.HasExited,
                20_000, () => agent.Stderr);
            Assert.False(agent.HasExited, agent.Stderr);
            agent.Kill();

            var records = await BufferContents.ReadRecordsAsync(buffer);
            AssertGuideRecords(records, webapp, postgres);
            Assert.Contains("elasticsearch.logging.svc.cluster.local", agent.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(webapp.LinkPath);
            File.Delete(postgres.LinkPath);
            if (createdContainers && !Directory.EnumerateFileSystemEntries(ContainersDirectory).Any())
            {
                Directory.Delete(ContainersDirectory);
            }
        }
    }

    [Fact]
    public async Task The_seed_pipeline_delivers_to_elasticsearch_with_logstash_indices_and_ids()
    {
        using var dir = new TempDirectory();
        using var server = FakeHttpServer.Start(request => BulkBody.AllCreated(request.Body));
        var config = dir.Combine("fluent-bit.conf");
        File.WriteAllText(config, WithOnly(File.ReadAllText(SeedConfig),
            (@"(?m)^(\s*Parsers_File\s+).*$", "${1}" + Path.Combine(SeedDirectory, "parsers.conf")),
            (@"(?m)^(\s*Path\s+)/var/log/containers/", "${1}" + dir.Combine("containers") + "/"),
            (@"(?m)^(\s*Host\s+).*$", "${1}127.0.0.1"),
            (@"(?m)^(\s*Port\s+)9200\s*$", "${1}" + new Uri(server.BaseUrl).Port)));
        var webapp = ContainerLog.Create(dir.Path, Namespace, "webapp-7d9f8b6c5d-x2x4z", "webapp");
        var postgres = ContainerLog.Create(dir.Path, Namespace, "postgres-0", "postgres");

        using var agent = ChildProcess.StartKansoku("agent", "--config", config, "--state-dir", dir.Combine("state"), "--log-level", "debug");
        await WaitUntilFollowingAsync(agent, webapp, postgres);
        WriteGuideLogs(webapp, postgres);
        await Eventually.WaitUntilAsync(() => server.Requests.Sum(r => BulkBody.Parse(r.Body).Count) >= 5 || agent.HasExited, 20_000, () => agent.Stderr);
        agent.Terminate();
        Assert.True(agent.WaitForExit(TimeSpan.FromSeconds(10)), "no exit within 10 s of SIGTERM");
        Assert.True(agent.ExitCode == 0, $"exit {agent.ExitCode}: {agent.Stderr}");

        var items = server.Requests.SelectMany(r => BulkBody.Parse(r.Body)).ToList();
        Assert.All(items, item =>
        {
            Assert.Equal("create", item.Operation);
            Assert.Equal("monitoring-demo-2026.11.25", item.Meta.Text("_index"));
            Assert.Matches("^[0-9a-f]{32}$", item.Meta.Text("_id"));
            Assert.Matches(@"^2026-11-25T08:00:0\d\.\d{3}\+0000$", item.Document.Text("@timestamp"));
        });
        Assert.Equal(items.Count, items.Select(item => item.Meta.Text("_id")).Distinct().Count());
        AssertGuideRecords([.. items.Select(item => item.Document)], webapp, postgres);
    }

    /// <summary>
    /// Read_from_Head is off in the seed: lines in a file present at the first scan are skipped, as in Fluent Bit. The
    /// files start empty and are written once the agent follows them (it says so at debug level), so nothing is skipped.
    /// </summary>
    private static Task WaitUntilFollowingAsync(ChildProcess agent, params ContainerLog[] logs) =>
        Eventually.WaitUntilAsync(
            () => agent.HasExited || logs.All(log => agent.Stderr.Contains($"{log.LinkPath}: following", StringComparison.Ordinal)),
            30_000, () => agent.Stderr);

    /// <summary>The guide's webapp JSON lines (one at debug level) and postgres lines, as CRI records.</summary>
    private static void WriteGuideLogs(ContainerLog webapp, ContainerLog postgres)
    {
        webapp.Append(
            """2026-11-25T08:00:00.25Z stdout F {"timestamp":"2026-11-25T08:00:00.000+0000","level":"info","message":"request completed","method":"GET","path":"/ready","status":200,"duration_ms":313.1,"service":"webapp"}""",
            """2026-11-25T08:00:01.25Z stdout F {"timestamp":"2026-11-25T08:00:01.000+0000","level":"debug","message":"cache lookup","key":"user:42","service":"webapp"}""",
            """2026-11-25T08:00:02.25Z stdout F {"timestamp":"2026-11-25T08:00:02.000+0000","level":"warn","message":"slow request","method":"GET","path":"/api/orders","status":200,"duration_ms":2213.9,"service":"webapp"}""",
            """2026-11-25T08:00:03.25Z stdout F {"timestamp":"2026-11-25T08:00:03.000+0000","level":"error","message":"request failed","method":"GET","path":"/api/users","status":500,"duration_ms":43.1,"service":"webapp"}""");
        postgres.Append(
            "2026-11-25T08:00:04.25Z stderr F 2026-11-25 08:00:04.000 UTC [100] LOG:  checkpoint complete: wrote 42 buffers (0.3%)",
            "2026-11-25T08:00:05.25Z stderr F 2026-11-25 08:00:05.000 UTC [101] ERROR:  relation \"orders_archive\" does not exist");
    }

    private static void AssertGuideRecords(List<JsonElement> records, ContainerLog webapp, ContainerLog postgres)
    {
        var web = records.Where(r => r.GetProperty("kubernetes").Text("pod_name") == webapp.Pod).ToList();
        var db = records.Where(r => r.GetProperty("kubernetes").Text("pod_name") == postgres.Pod).ToList();
        var all = string.Join('\n', records);

        // grep: Regex level (error|warn|info) on webapp.* drops the debug line.
        Assert.True(web.Count == 3, all);
        Assert.Equal(["info", "warn", "error"], web.Select(r => r.Text("level")));
        Assert.Equal(["request completed", "slow request", "request failed"], web.Select(r => r.Text("message")));
        Assert.Equal(500, web[2].GetProperty("status").GetInt32());
        // Merge_Log On, Keep_Log Off: the parsed fields replace log.
        Assert.All(web, r => Assert.False(r.TryGetProperty("log", out _), r.ToString()));
        // Time_Keep On keeps the application's timestamp field.
        Assert.Equal("2026-11-25T08:00:00.000+0000", web[0].Text("timestamp"));
        var kubernetes = web[0].GetProperty("kubernetes");
        Assert.Equal(Namespace, kubernetes.Text("namespace_name"));
        Assert.Equal("webapp", kubernetes.Text("container_name"));
        Assert.Equal(webapp.ContainerId, kubernetes.Text("docker_id"));
        Assert.Equal(webapp.PodUid, kubernetes.Text("pod_id"));

        Assert.True(db.Count == 2, all);
        Assert.All(db, r => Assert.Equal("stderr", r.Text("stream")));
        Assert.Equal(["100", "101"], db.Select(r => r.Text("pid")));
        Assert.Equal("checkpoint complete: wrote 42 buffers (0.3%)", db[0].Text("message"));
        Assert.Equal("relation \"orders_archive\" does not exist", db[1].Text("message"));
        Assert.Equal("postgres", db[0].GetProperty("kubernetes").Text("container_name"));
    }

    private static string WithOnly(string text, params (string Pattern, string Replacement)[] edits)
    {
        foreach (var (pattern, replacement) in edits)
        {
            var regex = new Regex(pattern);
            Assert.True(regex.IsMatch(text), $"the seed config no longer has {pattern}");
            text = regex.Replace(text, replacement);
        }
        return text;
    }
}
