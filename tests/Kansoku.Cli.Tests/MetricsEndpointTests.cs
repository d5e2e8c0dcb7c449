using System.Globalization;
using Kansoku.Testing;

namespace Kansoku.Cli.Tests;

/// <summary><c>--http-listen</c>: /healthz answers, /metrics (Prometheus text) counts records and bytes per input and output.</summary>
public sealed class MetricsEndpointTests
{
    private static readonly DateTime s_t0 = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Healthz_answers_and_metrics_count_what_was_read_and_delivered()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        var outFile = dir.Combine("out.ndjson");
        var listen = $"127.0.0.1:{FakeHttpServer.FreePort()}";
        using var agent = ChildProcess.StartKansoku([.. Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "file:" + outFile, dir.Combine("state"), "--read-from", "head"), "--http-listen", listen]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{listen}"), Timeout = TimeSpan.FromSeconds(5) };

        HttpResponseMessage? health = null;
        await Eventually.WaitUntilAsync(() =>
        {
            try
            {
                health = http.GetAsync(new Uri("/healthz", UriKind.Relative)).GetAwaiter().GetResult();
                return true;
            }
            catch (HttpRequestException)
            {
                return agent.HasExited;
            }
        }, 30_000, () => agent.Stderr);
        Assert.False(agent.HasExited, agent.Stderr);
        Assert.Equal(System.Net.HttpStatusCode.OK, health!.StatusCode);
        Assert.Equal("ok", (await health.Content.ReadAsStringAsync()).Trim());

        var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        var before = await metrics.Content.ReadAsStringAsync();
        Assert.Equal(0, PrometheusText.Value(before, "kansoku_agent_input_records_total{input=\"tail.0\"}"));
        foreach (var family in (string[])["input_bytes_total", "output_records_total", "output_bytes_total", "output_retries_total",
                     "output_dropped_records_total", "output_buffered_bytes"])
        {
            Assert.Contains($"# TYPE kansoku_agent_{family} ", before, StringComparison.Ordinal);
        }

        const int Lines = 25;
        log.Append([.. Enumerable.Range(0, Lines).Select(i => ContainerLog.Line(s_t0.AddMilliseconds(i), $"{{\"seq\":{i},\"msg\":\"{new string('m', i)}\"}}"))]);

        string text = "";
        await Eventually.WaitUntilAsync(() =>
        {
            text = http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult();
            // The committer counts a batch only after every output took it and the checkpoint was saved, so a scrape
            // can see the file output's count complete while the last batch is not yet counted as committed.
            return PrometheusText.Value(text, "kansoku_agent_output_records_total{output=\"file.0\"}") == Lines
                && PrometheusText.Value(text, "kansoku_agent_committed_records_total") == Lines;
        }, 20_000, () => text);

        Assert.Equal(Lines, PrometheusText.Value(text, "kansoku_agent_input_records_total{input=\"tail.0\"}"));
        Assert.True(PrometheusText.Value(text, "kansoku_agent_input_bytes_total{input=\"tail.0\"}") >= Enumerable.Range(0, Lines).Sum(i => 18 + i), text);
        Assert.Equal(new FileInfo(outFile).Length, PrometheusText.Value(text, "kansoku_agent_output_bytes_total{output=\"file.0\"}"));
        Assert.Equal(0, PrometheusText.Value(text, "kansoku_agent_output_dropped_records_total{output=\"file.0\"}"));
        Assert.Equal(1, PrometheusText.Value(text, "kansoku_agent_input_files_open{input=\"tail.0\"}"));
        Assert.Equal(Lines, Ndjson.CountLines(outFile));

        var notFound = await http.GetAsync(new Uri("/nothing", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notFound.StatusCode);

        agent.Terminate();
        Assert.True(agent.WaitForExit(TimeSpan.FromSeconds(10)), "no exit within 10 s of SIGTERM");
        Assert.True(agent.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"exit {agent.ExitCode}: {agent.Stderr}"));
    }

    [Fact]
    public async Task Output_metrics_count_retries_drops_and_the_buffer()
    {
        using var dir = new TempDirectory();
        var log = ContainerLog.Create(dir.Path, "shop", "web-1", "web");
        log.Append([.. Enumerable.Range(0, 4).Select(i => ContainerLog.Line(s_t0.AddMilliseconds(i), $"{{\"seq\":{i}}}"))]);
        using var server = FakeHttpServer.Start(request => request.Index switch
        {
            0 => new FakeReply(503, "{}", RetryAfterSeconds: 1),
            1 => BulkBody.Reply(request.Body, (_, document) => document.GetProperty("seq").GetInt32() == 2 ? 400 : 201),
            _ => BulkBody.AllCreated(request.Body),
        });
        var listen = $"127.0.0.1:{FakeHttpServer.FreePort()}";
        using var agent = ChildProcess.StartKansoku([.. Agent.Flags(ContainerLog.ContainersGlob(dir.Path), "es:" + server.BaseUrl, dir.Combine("state"), "--read-from", "head"), "--http-listen", listen]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        string text = "";
        await Eventually.WaitUntilAsync(() =>
        {
            try
            {
                text = http.GetStringAsync(new Uri($"http://{listen}/metrics")).GetAwaiter().GetResult();
            }
            catch (HttpRequestException)
            {
                return agent.HasExited;
            }
            return PrometheusText.Value(text, "kansoku_agent_output_records_total{output=\"es.0\"}") == 3;
        }, 20_000, () => text + agent.Stderr);

        Assert.Equal(1, PrometheusText.Value(text, "kansoku_agent_output_dropped_records_total{output=\"es.0\"}"));
        Assert.True(PrometheusText.Value(text, "kansoku_agent_output_retries_total{output=\"es.0\"}") >= 1, text);
        Assert.Equal(4, PrometheusText.Value(text, "kansoku_agent_output_accepted_records_total{output=\"es.0\"}"));
        await Eventually.WaitUntilAsync(() =>
        {
            text = http.GetStringAsync(new Uri($"http://{listen}/metrics")).GetAwaiter().GetResult();
            return PrometheusText.Value(text, "kansoku_agent_output_buffered_bytes{output=\"es.0\"}") == 0;
        }, 10_000, () => text);
    }

    [Fact]
    public async Task Service_http_server_keys_enable_the_endpoints_in_config_mode()
    {
        using var dir = new TempDirectory();
        var port = FakeHttpServer.FreePort();
        var config = dir.Combine("fluent-bit.conf");
        File.WriteAllText(config, $"""
            [SERVICE]
                HTTP_Server  On
                HTTP_Port    {port}

            [INPUT]
                Name  tail
                Path  {ContainerLog.ContainersGlob(dir.Path)}

            [OUTPUT]
                Name  stdout
                Match *
            """);
        using var agent = ChildProcess.StartKansoku("agent", "--config", config, "--state-dir", dir.Combine("state"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        string? metrics = null;
        await Eventually.WaitUntilAsync(() =>
        {
            try
            {
                metrics = http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")).GetAwaiter().GetResult();
                return true;
            }
            catch (HttpRequestException)
            {
                return agent.HasExited;
            }
        }, 30_000, () => agent.Stderr);

        Assert.False(agent.HasExited, agent.Stderr);
        Assert.Contains("kansoku_agent_output_records_total{output=\"stdout.0\"} 0", metrics, StringComparison.Ordinal);
    }
}
