using System.Globalization;
using System.Text;

namespace Kansoku.Benchmarks.Scrape;

/// <summary>
/// A scrape body shaped like node-exporter's on a big host: per-CPU counters, filesystems, network devices, disks,
/// a latency histogram and Go runtime summaries, with HELP and TYPE for each family, in either text format.
/// </summary>
internal static class NodeExporterBody
{
    private static readonly string[] s_cpuModes = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"];

    public static byte[] Create(int minimumBytes, bool openMetrics)
    {
        var text = new StringBuilder(minimumBytes + (64 << 10));
        var random = new Random(42);
        for (var host = 0; text.Length < minimumBytes; host++)
        {
            var prefix = "node" + host.ToString(CultureInfo.InvariantCulture) + "_";
            Counter(text, prefix + "cpu_seconds", "Seconds the CPUs spent in each mode.", openMetrics, random,
                Enumerable.Range(0, 64).SelectMany(cpu => s_cpuModes.Select(mode =>
                    $"cpu=\"{cpu.ToString(CultureInfo.InvariantCulture)}\",mode=\"{mode}\"")));
            Gauge(text, prefix + "filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.", random,
                Enumerable.Range(0, 40).Select(i =>
                    $"device=\"/dev/nvme{i % 4}n1p{i.ToString(CultureInfo.InvariantCulture)}\",fstype=\"ext4\",mountpoint=\"/var/lib/kubelet/pods/{Guid(random)}/volumes\""));
            Counter(text, prefix + "network_receive_bytes", "Network device statistic receive_bytes.", openMetrics, random,
                Enumerable.Range(0, 48).Select(i => $"device=\"veth{Guid(random)[..8]}\""));
            Counter(text, prefix + "disk_io_time_seconds", "Total seconds spent doing I/Os.", openMetrics, random,
                Enumerable.Range(0, 16).Select(i => $"device=\"nvme{i.ToString(CultureInfo.InvariantCulture)}n1\""));
            Histogram(text, prefix + "http_request_duration_seconds", "Request latency.", random);
            Summary(text, prefix + "go_gc_duration_seconds", "A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.", random);
        }
        if (openMetrics)
        {
            text.Append("# EOF\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Guid(Random random) => random.NextInt64().ToString("x16", CultureInfo.InvariantCulture) + random.Next().ToString("x8", CultureInfo.InvariantCulture);

    private static string Float(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Metadata(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Counter(StringBuilder text, string name, string help, bool openMetrics, Random random, IEnumerable<string> labelSets)
    {
        Metadata(text, name, help, "counter");
        foreach (var labels in labelSets)
        {
            text.Append(name).Append("_total{").Append(labels).Append("} ").Append(Float(Math.Round(random.NextDouble() * 1e7, 2))).Append('\n');
            if (openMetrics)
            {
                text.Append(name).Append("_created{").Append(labels).Append("} 1.7e+09\n");
            }
        }
    }

    private static void Gauge(StringBuilder text, string name, string help, Random random, IEnumerable<string> labelSets)
    {
        Metadata(text, name, help, "gauge");
        foreach (var labels in labelSets)
        {
            text.Append(name).Append('{').Append(labels).Append("} ").Append(Float(Math.Floor(random.NextDouble() * 1e12))).Append('\n');
        }
    }

    private static void Histogram(StringBuilder text, string name, string help, Random random)
    {
        Metadata(text, name, help, "histogram");
        foreach (var handler in new[] { "/metrics", "/api/v1/query", "/api/v1/write", "/healthz" })
        {
            long count = 0;
            foreach (var le in new[] { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf" })
            {
                count += random.Next(1000);
                text.Append(name).Append("_bucket{handler=\"").Append(handler).Append("\",le=\"").Append(le).Append("\"} ")
                    .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            text.Append(name).Append("_sum{handler=\"").Append(handler).Append("\"} ").Append(Float(count * 0.042)).Append('\n');
            text.Append(name).Append("_count{handler=\"").Append(handler).Append("\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void Summary(StringBuilder text, string name, string help, Random random)
    {
        Metadata(text, name, help, "summary");
        foreach (var quantile in new[] { "0.0", "0.25", "0.5", "0.75", "1.0" })
        {
            text.Append(name).Append("{quantile=\"").Append(quantile).Append("\"} ").Append(Float(random.NextDouble() * 1e-3)).Append('\n');
        }
        text.Append(name).Append("_sum ").Append(Float(random.NextDouble() * 100)).Append('\n');
        text.Append(name).Append("_count ").Append(random.Next(100_000).ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
