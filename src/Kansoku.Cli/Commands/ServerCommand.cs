using System.CommandLine;
using System.Runtime.InteropServices;
using Kansoku.LogStore;
using Kansoku.Scrape.Cluster;
using Kansoku.Scrape.Config;
using Kansoku.Server;
using Kansoku.Server.Metrics;

namespace Kansoku.Cli.Commands;

/// <summary>
/// <c>kansoku server --data-dir DIR --listen HOST:PORT [--config prometheus.yml]</c>: one process with embedded storage
/// serving the Loki push and query API, Elasticsearch's <c>_bulk</c>, the Prometheus HTTP API and remote write, and
/// scraping what the Prometheus configuration names.
/// </summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Where data is kept.", DefaultValueFactory = _ => "data" };
        var listen = new Option<string>("--listen")
        {
            Description = "HOST:PORT to serve on (Loki's port by default, so Grafana, logcli and agents find it).",
            DefaultValueFactory = _ => KansokuServerOptions.DefaultListen,
        };
        var retention = new Option<string>("--retention") { Description = "Keep logs this long (e.g. 7d, 720h; 0 keeps them forever).", DefaultValueFactory = _ => "7d" };
        var retentionSize = new Option<string?>("--retention-size") { Description = "Drop the oldest days when logs take more than this (e.g. 50GB)." };
        var config = new Option<string?>("--config")
        {
            Description = "A Prometheus configuration file (scrape_configs, remote_write) for the metrics side.",
        };
        var metricsRetention = new Option<string>("--metrics-retention")
        {
            Description = "Keep metrics this long (Prometheus' --storage.tsdb.retention.time; e.g. 15d, 720h).",
            DefaultValueFactory = _ => "15d",
        };
        var metricsRetentionSize = new Option<string?>("--metrics-retention-size")
        {
            Description = "Drop the oldest metric blocks when they take more than this (e.g. 10GB).",
        };
        var kubernetes = new Option<bool>("--kubernetes")
        {
            Description = "Monitor the cluster this runs in (service account): annotated pods and services, kubelets, kube-state metrics.",
        };
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Monitor the cluster of this kubeconfig's current context (implies --kubernetes), e.g. when run outside it.",
        };
        var monitorSelector = new Option<string?>("--monitor-selector")
        {
            Description = "Only ServiceMonitors and PodMonitors with these labels (a label selector such as team=platform); all by default.",
        };
        var command = new Command("server", "Store logs and metrics; serve the Loki, Elasticsearch _bulk, Prometheus and remote write APIs.")
        {
            dataDir, listen, retention, retentionSize, config, metricsRetention, metricsRetentionSize, kubernetes, kubeconfig, monitorSelector,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var output = parseResult.InvocationConfiguration.Output;
            TimeSpan? keep;
            long? maxBytes;
            TimeSpan keepMetrics;
            long maxMetricBytes;
            try
            {
                keep = RetentionPeriod(parseResult.GetValue(retention)!, "--retention");
                maxBytes = parseResult.GetValue(retentionSize) is { } size ? RetentionSize(size, "--retention-size") : null;
                keepMetrics = RetentionPeriod(parseResult.GetValue(metricsRetention)!, "--metrics-retention") ?? TimeSpan.FromDays(365 * 100);
                maxMetricBytes = parseResult.GetValue(metricsRetentionSize) is { } metricSize ? RetentionSize(metricSize, "--metrics-retention-size") : 0;
            }
            catch (FormatException e)
            {
                error.WriteLine($"kansoku server: {e.Message}");
                return 2;
            }
            var directory = Path.GetFullPath(parseResult.GetValue(dataDir)!);
            MetricsRuntime metrics;
            try
            {
                var cluster = parseResult.GetValue(kubeconfig) is { } kubeconfigFile ? ClusterAccess.FromKubeconfig(kubeconfigFile)
                    : parseResult.GetValue(kubernetes) ? ClusterAccess.InCluster()
                    : null;
                metrics = await MetricsRuntime.StartAsync(
                    new MetricsRuntimeOptions(Path.Combine(directory, "metrics"), parseResult.GetValue(config), keepMetrics, maxMetricBytes, cluster,
                        parseResult.GetValue(monitorSelector)),
                    TimeProvider.System, message => error.WriteLine($"[metrics] {message}"));
            }
            catch (k8s.Exceptions.KubeConfigException e)
            {
                error.WriteLine($"kansoku server: --kubeconfig {parseResult.GetValue(kubeconfig)}: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is ConfigException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                error.WriteLine($"kansoku server: {e.Message}");
                return 2;
            }
            await using var metricsScope = metrics;
            var logs = LogStorage.Open(Path.Combine(directory, "logs"), new LogStorageOptions
            {
                RetentionPeriod = keep,
                RetentionMaxBytes = maxBytes,
                Log = message => error.WriteLine($"[logstore] {message}"),
            });
            try
            {
                var options = new KansokuServerOptions(directory, parseResult.GetValue(listen)!);
                await using var server = KansokuServer.Create(options, logs, logs, TimeProvider.System, metrics);
                using var stop = new StopSignals(signal => error.WriteLine($"kansoku server: {signal}: stopping"), cancellationToken);
                using var reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
                {
                    // As Prometheus: SIGHUP reloads the configuration file instead of ending the process.
                    context.Cancel = true;
                    _ = metrics.ReloadAsync();
                });
                try
                {
                    await server.StartAsync(stop.Token);
                }
                catch (IOException e)
                {
                    // Kestrel reports a port in use this way; say which flag to change rather than print a stack trace.
                    error.WriteLine($"kansoku server: --listen {parseResult.GetValue(listen)}: {e.Message}");
                    return 2;
                }
                output.WriteLine($"kansoku server listening on {server.Address} (data in {directory})");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // SIGTERM / Ctrl-C: stop serving, then close the store (its data is already durable in the WAL).
                }
                await server.StopAsync(CancellationToken.None);
                return 0;
            }
            finally
            {
                logs.Dispose();
            }
        });
        return command;
    }

    private static long RetentionSize(string text, string flag) =>
        Kansoku.LogQL.Parser.ByteSizes.TryParse(text.Trim(), out var bytes) && bytes > 0 && bytes < long.MaxValue
            ? (long)bytes
            : throw new FormatException($"{flag}: expected a size such as 50GB or 500MiB, got '{text}'");

    private static TimeSpan? RetentionPeriod(string text, string flag)
    {
        var value = text.Trim();
        if (value == "0")
        {
            return null;
        }
        if (value.EndsWith('d') && int.TryParse(value.AsSpan(0, value.Length - 1), System.Globalization.CultureInfo.InvariantCulture, out var days) && days > 0)
        {
            return TimeSpan.FromDays(days);
        }
        if (value.EndsWith('h') && int.TryParse(value.AsSpan(0, value.Length - 1), System.Globalization.CultureInfo.InvariantCulture, out var hours) && hours > 0)
        {
            return TimeSpan.FromHours(hours);
        }
        throw new FormatException($"{flag}: expected a duration such as 7d or 720h, got '{text}'");
    }
}
