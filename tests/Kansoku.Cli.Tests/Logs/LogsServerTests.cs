using System.Globalization;
using System.Text.Json;
using Kansoku.LogQL.Parser;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests.Logs;

/// <summary>
/// <c>kansoku logs</c> against a fake Loki query server: the LogQL and parameters each flag combination sends, paging,
/// <c>--tail</c>, the output modes, colour, errors, <c>--follow</c> and <c>--previous</c>.
/// </summary>
public sealed class LogsServerTests
{
    private static readonly long s_sevenDays = TimeSpan.FromDays(7).Ticks * 100;
    private static readonly long s_slack = TimeSpan.FromSeconds(30).Ticks * 100;

    [Theory]
    [InlineData(new[] { "web-1" }, "{namespace=\"default\", pod=\"web-1\"}")]
    [InlineData(new[] { "web-1", "-n", "shop" }, "{namespace=\"shop\", pod=\"web-1\"}")]
    [InlineData(new[] { "pod/web-1", "--namespace", "shop", "-c", "web" }, "{namespace=\"shop\", pod=\"web-1\", container=\"web\"}")]
    [InlineData(new[] { "web-1", "sidecar" }, "{namespace=\"default\", pod=\"web-1\", container=\"sidecar\"}")]
    [InlineData(new[] { "deployment/web", "-n", "shop" }, "{namespace=\"shop\", pod=~\"web-[a-z0-9]+-[a-z0-9]+\"}")]
    [InlineData(new[] { "deploy/my.app" }, "{namespace=\"default\", pod=~\"my\\\\.app-[a-z0-9]+-[a-z0-9]+\"}")]
    [InlineData(new[] { "statefulset/db" }, "{namespace=\"default\", pod=~\"db-[0-9]+\"}")]
    [InlineData(new[] { "daemonset/agent", "-A" }, "{pod=~\"agent-[a-z0-9]+\"}")]
    [InlineData(new[] { "web-.*", "-c", "app|proxy" }, "{namespace=\"default\", pod=~\"web-.*\", container=~\"app|proxy\"}")]
    [InlineData(new[] { "-A" }, "{namespace=~\".+\"}")]
    [InlineData(new[] { "--all-namespaces", "-l", "tier!=db" }, "{tier!=\"db\", namespace=~\".+\"}")]
    [InlineData(new[] { "-l", "app=web,tier!=db", "-n", "shop" }, "{namespace=\"shop\", app=\"web\", tier!=\"db\"}")]
    [InlineData(new[] { "--selector", "env in (prod, staging),tier notin (db,cache),!canary,release,node==n1" },
        "{namespace=\"default\", env=~\"prod|staging\", tier!~\"db|cache\", canary=\"\", release=~\".+\", node=\"n1\"}")]
    [InlineData(new[] { "-l", "app.kubernetes.io/name=web,stream=stderr", "-A" }, "{app=\"web\", stream=\"stderr\"}")]
    [InlineData(new[] { "web-1", "-g", "time(out|d) \"x\"" }, "{namespace=\"default\", pod=\"web-1\"} |~ \"time(out|d) \\\"x\\\"\"")]
    [InlineData(new[] { "-A", "--grep", "\\d+ms" }, "{namespace=~\".+\"} |~ \"\\\\d+ms\"")]
    [InlineData(new[] { "--query", "{app=\"web\"} |= \"x\" | json", "-g", "y" }, "{app=\"web\"} |= \"x\" | json |~ \"y\"")]
    public void Flags_become_the_logql_the_server_is_sent(string[] args, string expected)
    {
        using var loki = FakeLoki.Start();
        var before = Logs.NowNanos();

        Logs.Lines([.. args, "--server", loki.Url]);

        var request = Assert.Single(loki.Requests);
        Assert.Equal(expected, request.Query);
        LogQLParser.ParseLogSelector(request.Query);
        Assert.Equal("forward", request.Direction);
        Assert.Equal(1000, request.Limit);
        Assert.InRange(request.End, before, Logs.NowNanos());
        Assert.Equal(s_sevenDays, request.End - request.Start);
    }

    [Fact]
    public void The_namespace_comes_from_KANSOKU_NAMESPACE_and_the_server_from_KANSOKU_URL_unless_flags_say_otherwise()
    {
        using var loki = FakeLoki.Start();
        var environment = new Dictionary<string, string?> { ["KANSOKU_NAMESPACE"] = "team", ["KANSOKU_URL"] = loki.Url };

        Assert.Equal(0, Logs.Run(environment, "web-1").ExitCode);
        Assert.Equal(0, Logs.Run(environment, "web-1", "-n", "shop").ExitCode);
        Assert.Equal(0, Logs.Run(environment, "web-1", "-A").ExitCode);

        Assert.Equal(
            ["{namespace=\"team\", pod=\"web-1\"}", "{namespace=\"shop\", pod=\"web-1\"}", "{pod=\"web-1\"}"],
            loki.Requests.Select(r => r.Query));
    }

    [Fact]
    public void Since_and_since_time_set_the_start_of_the_range()
    {
        using var loki = FakeLoki.Start();

        var before = Logs.NowNanos();
        Logs.Lines("web-1", "--since", "5m", "--server", loki.Url);
        Logs.Lines("web-1", "--since-time", "2026-11-25T08:00:00.5+01:00", "--server", loki.Url);

        var since = loki.Requests[0];
        Assert.InRange(since.End - since.Start, TimeSpan.FromMinutes(5).Ticks * 100, TimeSpan.FromMinutes(5).Ticks * 100);
        Assert.InRange(since.End, before, before + s_slack);
        Assert.Equal(Logs.Nanos(new DateTime(2026, 11, 25, 7, 0, 0, 500, DateTimeKind.Utc)), loki.Requests[1].Start);
    }

    [Theory]
    [InlineData(new[] { "--since", "5m", "--since-time", "2026-11-25T08:00:00Z" }, "not both")]
    [InlineData(new[] { "--since", "soon" }, "--since")]
    [InlineData(new[] { "--since-time", "yesterday" }, "--since-time")]
    [InlineData(new[] { "--query", "{app=\"web\"}", "-n", "shop" }, "--query")]
    [InlineData(new[] { "--query", "count_over_time({app=\"web\"}[1m])" }, "log selector")]
    [InlineData(new[] { "--query", "{app=" }, "parse error")]
    [InlineData(new[] { "-l", "app.kubernetes.io/instance=x" }, "not a stream label")]
    [InlineData(new[] { "-l", "replicas>3" }, "-l")]
    [InlineData(new[] { "cronjob/nightly" }, "unknown kind")]
    [InlineData(new[] { "web-(" }, "regex")]
    [InlineData(new[] { "-g", "a(b" }, "--grep")]
    [InlineData(new[] { "web-1", "-p", "-f" }, "--previous")]
    [InlineData(new[] { "web-1", "--tail=-5" }, "--tail")]
    public void Bad_flags_exit_2_before_asking_the_server(string[] args, string message)
    {
        using var loki = FakeLoki.Start();

        var (code, stdout, stderr) = Logs.Run([.. args, "--server", loki.Url]);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout.Trim());
        Assert.Empty(loki.Requests);
    }

    [Fact]
    public void Pages_forward_from_the_last_timestamp_and_prints_each_entry_once_in_time_order()
    {
        using var loki = FakeLoki.Start();
        var t0 = Logs.NowNanos() - TimeSpan.FromHours(1).Ticks * 100;
        // Two streams interleaved; five entries share the timestamp at the first page boundary (entries 97-101).
        var entries = Enumerable.Range(0, 250).Select(i =>
        {
            var time = t0 + (i is >= 97 and <= 101 ? 97 : i) * 1000L;
            // Entries of one stream at one time keep their order; across streams no order is defined, so the shared ones are in one.
            return FakeLokiEntry.Of(i % 2 == 0 || time == t0 + 97 * 1000L ? "web-1" : "web-2", "web", time, FakeLokiEntry.Record($"line {i}"));
        }).ToArray();
        loki.Add(entries);

        var lines = Logs.Lines("-n", "shop", "--batch", "100", "--prefix=false", "--server", loki.Url);

        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"line {i}"), lines);
        var requests = loki.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(100, r.Limit));
        Assert.Equal(t0 + 97 * 1000L, requests[1].Start);
        Assert.Equal(t0 + 196 * 1000L, requests[2].Start);
        Assert.All(requests, r => Assert.Equal(requests[0].End, r.End));
    }

    [Fact]
    public void Tail_asks_backward_for_the_last_n_and_prints_them_oldest_first()
    {
        using var loki = FakeLoki.Start();
        var t0 = Logs.NowNanos() - TimeSpan.FromHours(1).Ticks * 100;
        loki.Add([.. Enumerable.Range(0, 10).Select(i => FakeLokiEntry.Of("web-1", "web", t0 + i, FakeLokiEntry.Record($"line {i}")))]);

        var lines = Logs.Lines("web-1", "-n", "shop", "--tail", "3", "--server", loki.Url);

        Assert.Equal(["web-1 web line 7", "web-1 web line 8", "web-1 web line 9"], lines);
        var request = Assert.Single(loki.Requests);
        Assert.Equal("backward", request.Direction);
        Assert.Equal(3, request.Limit);
    }

    [Fact]
    public void Tail_larger_than_a_page_pages_backward_across_shared_timestamps()
    {
        using var loki = FakeLoki.Start();
        var t0 = Logs.NowNanos() - TimeSpan.FromHours(1).Ticks * 100;
        // Entries 298-302 share one timestamp, which the first backward page (the newest 100) ends in.
        loki.Add([.. Enumerable.Range(0, 400).Select(i =>
            FakeLokiEntry.Of("web-1", "web", t0 + (i is >= 298 and <= 302 ? 298 : i), FakeLokiEntry.Record($"line {i}")))]);

        var lines = Logs.Lines("web-1", "-n", "shop", "--tail", "250", "--batch", "100", "--prefix=false", "--server", loki.Url);

        Assert.Equal(Enumerable.Range(150, 250).Select(i => $"line {i}"), lines);
        Assert.All(loki.Requests, r => Assert.Equal("backward", r.Direction));
        Assert.True(loki.Requests.Count is >= 3 and <= 4, $"{loki.Requests.Count} requests");
    }

    [Fact]
    public void Output_modes_print_the_message_the_stored_line_or_json()
    {
        using var loki = FakeLoki.Start();
        var second = DateTime.UtcNow.AddHours(-1);
        second = new DateTime(second.Ticks - second.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var time = Logs.Nanos(second) + 123_456_700;
        var stamp = second.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var record = FakeLokiEntry.Record("said \"hi\" — 観測");
        loki.Add(FakeLokiEntry.Of("web-1", "web", time, record), FakeLokiEntry.Of("web-1", "web", time + 1, "not json", stream: "stderr"));
        var range = new[] { "web-1", "-n", "shop", "--since", "2h", "--server", loki.Url };

        Assert.Equal(["web-1 web said \"hi\" — 観測", "web-1 web not json"], Logs.Lines(range));
        Assert.Equal([$"{stamp}.1234567Z said \"hi\" — 観測", $"{stamp}.123456701Z not json"],
            Logs.Lines([.. range, "--timestamps", "--prefix=false"]));
        Assert.Equal([record, "not json"], Logs.Lines([.. range, "-o", "raw"]));

        var json = Logs.Lines([.. range, "--output", "json"]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, json.Count);
        Assert.Equal($"{stamp}.1234567Z", json[0].GetProperty("timestamp").GetString());
        Assert.Equal(record, json[0].GetProperty("line").GetString());
        Assert.Equal("stderr", json[1].GetProperty("labels").GetProperty("stream").GetString());
        Assert.Equal(["container", "namespace", "pod", "stream"], json[1].GetProperty("labels").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Colour_only_when_asked_or_on_a_terminal()
    {
        using var loki = FakeLoki.Start();
        loki.Add(FakeLokiEntry.Of("web-1", "web", Logs.NowNanos() - 1_000_000_000, FakeLokiEntry.Record("hello")));

        var plain = Logs.Lines("-A", "--server", loki.Url);
        var coloured = Logs.Lines("-A", "--color", "always", "--server", loki.Url);
        var never = Logs.Lines("-A", "--color", "never", "--server", loki.Url);

        Assert.Equal(["web-1 web hello"], plain);
        Assert.Equal(plain, never);
        var line = Assert.Single(coloured);
        Assert.Matches("^\e\\[9[1-6]mweb-1\e\\[0m \e\\[3[1-6]mweb\e\\[0m hello$", line);
    }

    [Fact]
    public void A_server_error_is_printed_as_the_server_wrote_it_with_a_non_zero_exit()
    {
        using var loki = FakeLoki.Start();
        loki.Error = (400, "parse error at line 1, col 12: syntax error: unexpected IDENTIFIER");

        var (code, stdout, stderr) = Logs.Run("web-1", "--server", loki.Url);

        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("400", stderr, StringComparison.Ordinal);
        Assert.Contains("parse error at line 1, col 12: syntax error: unexpected IDENTIFIER", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_server_exits_1_and_names_it()
    {
        var url = $"http://127.0.0.1:{FakeHttpServer.FreePort()}";

        var (code, _, stderr) = Logs.Run("web-1", "--server", url);

        Assert.Equal(1, code);
        Assert.Contains(url, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_prints_the_history_then_new_entries_once_and_stops_on_sigterm()
    {
        using var loki = FakeLoki.Start();
        var now = Logs.NowNanos();
        loki.Add(
            FakeLokiEntry.Of("web-1", "web", now - 2_000_000_000, FakeLokiEntry.Record("old 1")),
            FakeLokiEntry.Of("web-2", "web", now - 1_000_000_000, FakeLokiEntry.Record("old 2")));

        using var process = ChildProcess.StartKansoku(
            new Dictionary<string, string?> { ["KANSOKU_URL"] = loki.Url, ["KANSOKU_NAMESPACE"] = null }, "logs", "-n", "shop", "-f");
        await Eventually.WaitUntilAsync(() => Logs.SplitLines(process.Stdout).Length >= 2 || process.HasExited, 20_000, () => process.Stderr);
        var added = Logs.NowNanos();
        loki.Add(
            FakeLokiEntry.Of("web-1", "web", added, FakeLokiEntry.Record("new 1")),
            FakeLokiEntry.Of("web-2", "web", added + 1, FakeLokiEntry.Record("new 2")));
        await Eventually.WaitUntilAsync(() => Logs.SplitLines(process.Stdout).Length >= 4 || process.HasExited, 20_000, () => process.Stderr);
        // Two more polls: nothing may be printed twice although each poll looks back a few seconds.
        var polls = loki.Requests.Count;
        await Eventually.WaitUntilAsync(() => loki.Requests.Count >= polls + 2, 20_000);

        process.Terminate();

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), "no exit within 10 s of SIGTERM");
        Assert.True(process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"exit {process.ExitCode}: {process.Stderr}"));
        Assert.Equal(["web-1 web old 1", "web-2 web old 2", "web-1 web new 1", "web-2 web new 2"], Logs.SplitLines(process.Stdout));
        var requests = loki.Requests;
        Assert.All(requests, r => Assert.Equal("{namespace=\"shop\"}", r.Query));
        Assert.All(requests.Skip(1), r => Assert.True(r.Start >= requests[0].Start && r.End > requests[0].End));
    }

    [Fact]
    public async Task Follow_with_tail_0_prints_only_entries_that_arrive_later()
    {
        using var loki = FakeLoki.Start();
        loki.Add(FakeLokiEntry.Of("web-1", "web", Logs.NowNanos() - 1_000_000, FakeLokiEntry.Record("before")));

        using var process = ChildProcess.StartKansoku(new Dictionary<string, string?> { ["KANSOKU_NAMESPACE"] = null },
            "logs", "web-1", "-n", "shop", "--tail", "0", "-f", "--server", loki.Url);
        await Eventually.WaitUntilAsync(() => loki.Requests.Count >= 2 || process.HasExited, 20_000, () => process.Stderr);
        loki.Add(FakeLokiEntry.Of("web-1", "web", Logs.NowNanos(), FakeLokiEntry.Record("after")));
        await Eventually.WaitUntilAsync(() => process.Stdout.Contains("after", StringComparison.Ordinal) || process.HasExited, 20_000, () => process.Stderr);
        process.Terminate();

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Equal(["web-1 web after"], Logs.SplitLines(process.Stdout));
    }

    [Fact]
    public void Previous_prints_the_instance_before_the_current_one_told_apart_by_docker_id()
    {
        using var loki = FakeLoki.Start();
        var t0 = Logs.NowNanos() - TimeSpan.FromHours(1).Ticks * 100;
        var id = 0L;
        FakeLokiEntry Entry(string container, string dockerId, string log) =>
            FakeLokiEntry.Of("web-1", container, t0 + id++ * 1000, FakeLokiEntry.Record(log, container: container, dockerId: dockerId));
        loki.Add(
            Entry("web", "aaa", "first instance"),
            Entry("web", "bbb", "second instance 1"),
            Entry("sidecar", "sss", "sidecar only instance"),
            Entry("web", "bbb", "second instance 2"),
            Entry("web", "ccc", "current instance"));

        var lines = Logs.Lines("web-1", "-n", "shop", "--previous", "--batch", "2", "--server", loki.Url);

        Assert.Equal(["web-1 web second instance 1", "web-1 web second instance 2"], lines);
        Assert.All(loki.Requests, r => Assert.Equal("backward", r.Direction));
    }

    [Fact]
    public void Previous_explains_itself_when_records_carry_no_container_id()
    {
        using var loki = FakeLoki.Start();
        loki.Add(FakeLokiEntry.Of("web-1", "web", Logs.NowNanos() - 1000, FakeLokiEntry.Record("no id")));

        var (code, stdout, stderr) = Logs.Run("web-1", "-n", "shop", "-p", "--server", loki.Url);

        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("docker_id", stderr, StringComparison.Ordinal);
        Assert.Contains("--dir", stderr, StringComparison.Ordinal);
    }
}
