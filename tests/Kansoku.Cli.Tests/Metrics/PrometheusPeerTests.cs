using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kansoku.Testing;
using Kansoku.Testing.Peers;

namespace Kansoku.Cli.Tests.Metrics;

/// <summary>
/// <c>kansoku server</c> beside Debian's Prometheus 2.42, both real processes: they scrape the same node exporter,
/// Prometheus remote-writes to Kansoku, and both load the same OpenMetrics backfill; promtool reads both the same way.
/// </summary>
public sealed class PrometheusPeerTests
{
    private const string NodeExporter = "/usr/bin/prometheus-node-exporter";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    [PrometheusFact]
    public async Task Kansoku_and_Prometheus_scrape_the_same_node_exporter_into_the_same_series()
    {
        Assert.True(File.Exists(NodeExporter), $"{NodeExporter} is missing: apt-get install prometheus-node-exporter");
        using var directory = new TempDirectory();
        var exporterPort = FreePort();
        // A fixed set of collectors whose series do not come and go between scrapes.
        using var exporter = ChildProcess.Start(NodeExporter,
        [
            $"--web.listen-address=127.0.0.1:{exporterPort}", "--collector.disable-defaults",
            "--collector.cpu", "--collector.meminfo", "--collector.loadavg", "--collector.uname", "--collector.stat",
        ]);
        var config = $$"""
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
            scrape_configs:
              - job_name: node
                static_configs:
                  - targets: ['127.0.0.1:{{exporterPort}}']
            """;
        var configFile = Path.Combine(directory.Path, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config);
        using var kansoku = ChildProcess.StartKansoku("server", "--data-dir", Path.Combine(directory.Path, "kansoku"),
            "--listen", "127.0.0.1:0", "--config", configFile);
        var kansokuUrl = await kansoku.ListeningAddressAsync(s_startTimeout);
        using var prometheus = await PrometheusServer.StartAsync(config);
        using var http = new HttpClient();

        await Eventually.WaitUntilAsync(() => Up(http, kansokuUrl, "node") && Up(http, prometheus.Address, "node"), 30_000,
            () => $"kansoku:\n{kansoku.Output}\nprometheus:\n{prometheus.Output}");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var series = $"/api/v1/series?match[]={Uri.EscapeDataString("{job=\"node\"}")}&start={end - 60}&end={end}";
        var inKansoku = SeriesSet(await http.GetStringAsync(new Uri(kansokuUrl, series)));
        var inPrometheus = SeriesSet(await http.GetStringAsync(new Uri(prometheus.Address, series)));
        Assert.True(inPrometheus.Count > 20, $"Prometheus has only {inPrometheus.Count} node series");
        Assert.Equal([], inPrometheus.Except(inKansoku).Order(StringComparer.Ordinal));
        Assert.Equal([], inKansoku.Except(inPrometheus).Order(StringComparer.Ordinal));

        // promtool reads Kansoku as it reads Prometheus: the same answer for a series that does not change.
        var at = (end - 1).ToString(CultureInfo.InvariantCulture);
        var fromKansoku = await PrometheusServer.PromtoolAsync("query", "instant", "--time", at, kansokuUrl.ToString(), "node_memory_MemTotal_bytes");
        var fromPrometheus = await PrometheusServer.PromtoolAsync("query", "instant", "--time", at, prometheus.Address.ToString(), "node_memory_MemTotal_bytes");
        Assert.Contains("node_memory_MemTotal_bytes{instance=", fromKansoku, StringComparison.Ordinal);
        Assert.Equal(fromPrometheus, fromKansoku);
        var up = await PrometheusServer.PromtoolAsync("query", "instant", kansokuUrl.ToString(), "up");
        Assert.Contains($"up{{instance=\"127.0.0.1:{exporterPort}\", job=\"node\"}} => 1", up, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public async Task Prometheus_remote_writes_to_Kansoku_and_promtool_query_range_reads_the_same_samples_from_both()
    {
        using var directory = new TempDirectory();
        using var kansoku = ChildProcess.StartKansoku("server", "--data-dir", Path.Combine(directory.Path, "kansoku"), "--listen", "127.0.0.1:0");
        var kansokuUrl = await kansoku.ListeningAddressAsync(s_startTimeout);
        var selfPort = FreePort();
        using var prometheus = await PrometheusServer.StartAsync($$"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: prometheus
                static_configs:
                  - targets: ['127.0.0.1:{{selfPort}}']
            remote_write:
              - url: {{new Uri(kansokuUrl, "/api/v1/write")}}
                queue_config:
                  batch_send_deadline: 500ms
            """, port: selfPort);
        using var http = new HttpClient();
        await Eventually.WaitUntilAsync(() => Up(http, kansokuUrl, "prometheus"), 30_000,
            () => $"kansoku:\n{kansoku.Output}\nprometheus:\n{prometheus.Output}");

        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Task.Delay(TimeSpan.FromSeconds(6));
        var end = start + 4;
        string[] Range(Uri server, string query) =>
            ["query", "range", "--start", start.ToString(CultureInfo.InvariantCulture), "--end", end.ToString(CultureInfo.InvariantCulture),
                "--step", "1s", server.ToString(), query];
        foreach (var query in new[] { "up", "scrape_samples_scraped", "prometheus_http_requests_total{handler=\"/-/ready\"}" })
        {
            var fromPrometheus = await PrometheusServer.PromtoolAsync(Range(prometheus.Address, query));
            var fromKansoku = await PrometheusServer.PromtoolAsync(Range(kansokuUrl, query));
            Assert.Contains(" @[", fromPrometheus, StringComparison.Ordinal);
            Assert.Equal(fromPrometheus, fromKansoku);
        }
    }

    [PrometheusFact]
    public async Task The_same_OpenMetrics_backfill_in_Kansoku_and_in_Prometheus_reads_back_the_same()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "backfill.om");
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60 - 3600;
        var start = end - 3 * 3600;
        await File.WriteAllTextAsync(file, Backfill(start, end));

        var kansokuData = Path.Combine(directory.Path, "kansoku");
        using (var import = ChildProcess.StartKansoku("tsdb", "import", "openmetrics", file, "--data-dir", kansokuData))
        {
            await Eventually.WaitUntilAsync(() => import.HasExited, 60_000, () => import.Output);
            Assert.True(import.Terminate(TimeSpan.FromSeconds(5)));
            Assert.True(import.ExitCode == 0, import.Output);
            Assert.Contains("imported 2044 samples of 3 series", import.Output, StringComparison.Ordinal);
        }
        var prometheusData = Path.Combine(directory.Path, "prometheus");
        await PrometheusServer.PromtoolAsync("tsdb", "create-blocks-from", "openmetrics", file, prometheusData);

        using var kansoku = ChildProcess.StartKansoku("server", "--data-dir", kansokuData, "--listen", "127.0.0.1:0");
        var kansokuUrl = await kansoku.ListeningAddressAsync(s_startTimeout);
        using var prometheus = await PrometheusServer.StartAsync("scrape_configs: []\n", dataDirectory: prometheusData);
        var from = (start - 300).ToString(CultureInfo.InvariantCulture);
        var to = end.ToString(CultureInfo.InvariantCulture);
        // Selectors, then PromQL as the guide's dashboards and alerts use it: the same samples from both engines.
        foreach (var query in (string[])[
                     "jobs_processed_total", "queue_depth{queue=\"mail\"}", "{__name__=~\"queue_.*\"}",
                     "rate(jobs_processed_total[5m])", "increase(jobs_processed_total[10m])", "irate(jobs_processed_total[1m])",
                     "sum by (queue) (avg_over_time(queue_depth[10m]))", "max_over_time(queue_depth[30m]) - min_over_time(queue_depth[30m])",
                     "queue_depth > bool 4", "topk(1, queue_depth)", "count(queue_depth) * 2", "absent(queue_depth{queue=\"fax\"})",
                     "deriv(queue_depth[15m])", "predict_linear(queue_depth[15m], 3600)", "changes(queue_depth[20m])",
                     "quantile_over_time(0.9, queue_depth[1h])", "queue_depth / on() group_left sum(queue_depth)",
                     "label_replace(queue_depth, \"q\", \"$1\", \"queue\", \"(.).*\")", "max_over_time(rate(jobs_processed_total[5m])[30m:1m])",
                 ])
        {
            string[] range(Uri server) => ["query", "range", "--start", from, "--end", to, "--step", "1m", server.ToString(), query];
            var fromPrometheus = await PrometheusServer.PromtoolAsync(range(prometheus.Address));
            var fromKansoku = await PrometheusServer.PromtoolAsync(range(kansokuUrl));
            Assert.Contains(" @[", fromPrometheus, StringComparison.Ordinal);
            Assert.True(FirstDifference(fromPrometheus, fromKansoku) is null,
                $"{query}: Prometheus and Kansoku differ\n{FirstDifference(fromPrometheus, fromKansoku)}");
            // kansoku query prints what promtool prints.
            var (exit, printed, stderr) = ChildProcess.RunKansoku(TimeSpan.FromSeconds(60), "query", query, "--start", from, "--end", to, "--step", "1m",
                "--server", kansokuUrl.ToString());
            Assert.True(exit == 0, stderr);
            Assert.Equal(fromKansoku, printed);
        }
        var at = (end - 600).ToString(CultureInfo.InvariantCulture);
        foreach (var query in (string[])["queue_depth", "sum(rate(jobs_processed_total[5m]))", "scalar(count(queue_depth))"])
        {
            var fromPrometheus = await PrometheusServer.PromtoolAsync("query", "instant", "--time", at, prometheus.Address.ToString(), query);
            var fromKansoku = await PrometheusServer.PromtoolAsync("query", "instant", "--time", at, kansokuUrl.ToString(), query);
            Assert.Equal(fromPrometheus, fromKansoku);
            var (exit, printed, stderr) = ChildProcess.RunKansoku(TimeSpan.FromSeconds(60), "query", query, "--time", at, "--server", kansokuUrl.ToString());
            Assert.True(exit == 0, stderr);
            Assert.Equal(fromKansoku, printed);
        }
    }

    /// <summary>
    /// The first line where promtool's outputs differ, or null. Values may differ in their last bits only: Prometheus 3,
    /// whose algorithms the engine follows (its test suite), sums some *_over_time windows in another order than 2.42.
    /// </summary>
    private static string? FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "(end)";
            var a = i < actualLines.Length ? actualLines[i] : "(end)";
            if (e != a && !SamePoint(e, a))
            {
                return $"line {i + 1}: Prometheus: {e}\n         Kansoku:    {a}";
            }
        }
        return null;
    }

    /// <summary>Two <c>VALUE @[TIME]</c> lines at the same time whose values agree to 1e-12 of their size.</summary>
    private static bool SamePoint(string expected, string actual)
    {
        var e = expected.Split(' ', 2);
        var a = actual.Split(' ', 2);
        return e.Length == 2 && a.Length == 2 && e[1] == a[1] && e[1].StartsWith("@[", StringComparison.Ordinal)
               && double.TryParse(e[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
               && double.TryParse(a[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
               && Math.Abs(x - y) <= 1e-12 * Math.Max(Math.Abs(x), Math.Abs(y));
    }

    /// <summary>Three series every 15 s over [start, end]: a counter, and a gauge for two queues, one with a gap.</summary>
    private static string Backfill(long start, long end)
    {
        var text = new StringBuilder();
        text.Append("# HELP jobs_processed Jobs processed.\n# TYPE jobs_processed counter\n");
        for (var t = start; t <= end; t += 15)
        {
            text.Append(CultureInfo.InvariantCulture, $"jobs_processed_total{{worker=\"a\"}} {(t - start) / 15 * 3} {t}\n");
        }
        text.Append("# HELP queue_depth Messages waiting.\n# TYPE queue_depth gauge\n");
        foreach (var queue in new[] { "mail", "sms" })
        {
            for (var t = start; t <= end; t += 15)
            {
                if (queue == "sms" && t > start + 3600 && t < start + 5400)
                {
                    continue;
                }
                text.Append(CultureInfo.InvariantCulture, $"queue_depth{{queue=\"{queue}\"}} {((t / 15) % 17) * 0.5} {t}\n");
            }
        }
        text.Append("# EOF\n");
        return text.ToString();
    }

    private static bool Up(HttpClient http, Uri server, string job)
    {
        try
        {
            var body = http.GetStringAsync(new Uri(server, $"/api/v1/query?query={Uri.EscapeDataString($"up{{job=\"{job}\"}}")}")).GetAwaiter().GetResult();
            using var json = JsonDocument.Parse(body);
            foreach (var sample in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
            {
                if (sample.GetProperty("value")[1].GetString() == "1")
                {
                    return true;
                }
            }
            return false;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static HashSet<string> SeriesSet(string body)
    {
        using var json = JsonDocument.Parse(body);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var series in json.RootElement.GetProperty("data").EnumerateArray())
        {
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in series.EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString()!;
            }
            set.Add(string.Join(',', labels.Select(l => $"{l.Key}={l.Value}")));
        }
        return set;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
