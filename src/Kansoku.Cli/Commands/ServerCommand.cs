using System.CommandLine;
using Kansoku.LogStore;
using Kansoku.Server;

namespace Kansoku.Cli.Commands;

/// <summary>
/// <c>kansoku server --data-dir DIR --listen HOST:PORT</c>: one process with embedded storage serving the Loki push and
/// query API and Elasticsearch's <c>_bulk</c>.
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
        var command = new Command("server", "Store logs and serve the Loki and Elasticsearch-compatible APIs.") { dataDir, listen, retention, retentionSize };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var output = parseResult.InvocationConfiguration.Output;
            TimeSpan? keep;
            long? maxBytes;
            try
            {
                keep = RetentionPeriod(parseResult.GetValue(retention)!);
                maxBytes = parseResult.GetValue(retentionSize) is { } size ? RetentionSize(size) : null;
            }
            catch (FormatException e)
            {
                error.WriteLine($"kansoku server: {e.Message}");
                return 2;
            }
            var directory = Path.GetFullPath(parseResult.GetValue(dataDir)!);
            var logs = LogStorage.Open(Path.Combine(directory, "logs"), new LogStorageOptions
            {
                RetentionPeriod = keep,
                RetentionMaxBytes = maxBytes,
                Log = message => error.WriteLine($"[logstore] {message}"),
            });
            try
            {
                var options = new KansokuServerOptions(directory, parseResult.GetValue(listen)!);
                await using var server = KansokuServer.Create(options, logs, logs, TimeProvider.System);
                using var stop = new StopSignals(signal => error.WriteLine($"kansoku server: {signal}: stopping"), cancellationToken);
                await server.StartAsync(stop.Token);
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

    private static long RetentionSize(string text) =>
        Kansoku.LogQL.Parser.ByteSizes.TryParse(text.Trim(), out var bytes) && bytes > 0 && bytes < long.MaxValue
            ? (long)bytes
            : throw new FormatException($"--retention-size: expected a size such as 50GB or 500MiB, got '{text}'");

    private static TimeSpan? RetentionPeriod(string text)
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
        throw new FormatException($"--retention: expected a duration such as 7d or 720h, got '{text}'");
    }
}
