using System.CommandLine;
using System.Text;
using Kansoku.Agent.Parsers.Time;
using Kansoku.LogQL.Parser;
using Kansoku.Core.Time;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// <c>kansoku logs</c>: what <c>kubectl logs</c> and stern do, for the whole cluster, from Kansoku's server (the Loki
/// query API), or from a node's files with <c>--dir</c>. The flags are kubectl's and stern's.
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var target = new Argument<string[]>("POD")
        {
            Description = "A pod, TYPE/NAME (deployment/web, statefulset/db, daemonset/agent, job/migrate) or a pod-name regex " +
                          "(web-.*); optionally followed by a CONTAINER. None: every pod in the namespace.",
            Arity = new ArgumentArity(0, 2),
        };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The namespace (default: $KANSOKU_NAMESPACE, else default)." };
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "Every namespace." };
        var selector = new Option<string?>("--selector", "-l")
        {
            Description = "Label selector over stream labels (namespace, pod, container, app, node, stream): app=web,tier!=db,env in (a,b),!canary.",
        };
        var container = new Option<string?>("--container", "-c") { Description = "The container (a name, or a regex)." };
        var since = new Option<string?>("--since") { Description = "Only lines newer than this duration (5s, 2m, 3h). Default: everything the server keeps (7d)." };
        var sinceTime = new Option<string?>("--since-time") { Description = "Only lines after this RFC 3339 time (2026-11-25T08:00:00Z)." };
        var tail = new Option<int>("--tail") { Description = "Only the last N lines (-1: all).", DefaultValueFactory = _ => -1 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines as they arrive." };
        var timestamps = new Option<bool>("--timestamps") { Description = "Start each line with its time (RFC 3339, nanoseconds)." };
        var previous = new Option<bool>("--previous", "-p") { Description = "The container's previous instance (before its last restart)." };
        var grep = new Option<string?>("--grep", "-g") { Description = "Only lines containing a match of this regex (LogQL |~; on the server it runs over the stored record)." };
        var query = new Option<string?>("--query") { Description = "A LogQL log query, instead of POD, -n, -A, -l and -c." };
        var output = new Option<string>("--output", "-o") { Description = "text (prefix and message), json ({timestamp, labels, line}) or raw (the stored line).", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json", "raw");
        var color = new Option<string>("--color") { Description = "Colour the pod/container prefix: auto (on a terminal), always or never.", DefaultValueFactory = _ => "auto" };
        color.AcceptOnlyFromAmong("auto", "always", "never");
        var prefix = new Option<bool>("--prefix") { Description = "Start text lines with 'pod container' (--prefix=false: the message alone).", DefaultValueFactory = _ => true };
        var server = new Option<string?>("--server") { Description = ServerAddress.Description };
        var dir = new Option<string?>("--dir") { Description = "Read a node's files (/var/log/pods) instead of asking the server." };
        var batch = new Option<int>("--batch") { Description = "Entries per request to the server.", DefaultValueFactory = _ => 1000 };

        var command = new Command("logs", "Print container logs from the whole cluster, as kubectl logs and stern do.")
        {
            target, ns, allNamespaces, selector, container, since, sinceTime, tail, follow, timestamps, previous, grep, query, output,
            color, prefix, server, dir, batch,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var positional = parseResult.GetValue(target) ?? [];
                var containerName = parseResult.GetValue(container);
                if (positional.Length == 2)
                {
                    containerName = containerName is null ? positional[1] : throw LogsException.Usage("give the container once: as -c or after POD");
                }
                var grepPattern = parseResult.GetValue(grep);
                LogSelection selection;
                if (parseResult.GetValue(query) is { } logql)
                {
                    var conflicting = positional.Length > 0 || containerName is not null || parseResult.GetValue(ns) is not null
                                      || parseResult.GetValue(allNamespaces) || parseResult.GetValue(selector) is not null;
                    selection = conflicting
                        ? throw LogsException.Usage("--query replaces POD, -n, -A, -l and -c: put the selection in the query")
                        : LogSelection.FromQuery(logql, grepPattern);
                }
                else
                {
                    var defaultNamespace = Environment.GetEnvironmentVariable("KANSOKU_NAMESPACE") is { Length: > 0 } fromEnvironment ? fromEnvironment : "default";
                    selection = LogSelection.FromFlags(positional.FirstOrDefault(), containerName, parseResult.GetValue(ns),
                        parseResult.GetValue(allNamespaces), defaultNamespace, parseResult.GetValue(selector), grepPattern);
                }
                var now = TimeProvider.System.NowNanos();
                var tailLines = parseResult.GetValue(tail) switch
                {
                    -1 => (int?)null,
                    < -1 => throw LogsException.Usage("--tail: a number of lines, or -1 for all"),
                    var n => n,
                };
                var request = new LogsRequest(selection, Since(parseResult.GetValue(since), parseResult.GetValue(sinceTime), now), now, tailLines,
                    parseResult.GetValue(follow), parseResult.GetValue(previous));
                if (request.Previous && request.Follow)
                {
                    throw LogsException.Usage("--previous cannot be followed: that instance has ended");
                }
                var batchSize = parseResult.GetValue(batch) is var size and > 0 ? size : throw LogsException.Usage("--batch: at least 1");
                var useColor = parseResult.GetValue(color) switch
                {
                    "always" => true,
                    "never" => false,
                    _ => TerminalColors.Auto(),
                };
                var format = parseResult.GetValue(output) switch
                {
                    "json" => OutputFormat.Json,
                    "raw" => OutputFormat.Raw,
                    _ => OutputFormat.Text,
                };
                var directory = parseResult.GetValue(dir);

                using var stop = new StopSignals(_ => { }, cancellationToken);
                await using var stdout = new BufferedStream(Console.OpenStandardOutput(), 64 * 1024);
                using var printer = new LinePrinter(stdout, format, useColor, parseResult.GetValue(timestamps), parseResult.GetValue(prefix),
                    linesAreRecords: directory is null);
                try
                {
                    if (directory is not null)
                    {
                        using var node = new NodeLogs(directory, printer, TimeProvider.System);
                        await node.RunAsync(request, stop.Token);
                    }
                    else
                    {
                        using var client = new LokiClient(ServerAddress.Resolve(parseResult.GetValue(server)));
                        await new ServerLogs(client, printer, selection.ToLogQL(), batchSize, error, TimeProvider.System).RunAsync(request, stop.Token);
                    }
                }
                catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
                {
                    // SIGTERM or Ctrl-C: the normal end of --follow.
                }
                printer.Flush();
                return 0;
            }
            catch (LogsException e)
            {
                error.WriteLine($"kansoku logs: {e.Message}");
                return e.ExitCode;
            }
        });
        return command;
    }

    /// <summary>The start of the range in Unix ns from --since or --since-time (not both); null for neither.</summary>
    private static long? Since(string? since, string? sinceTime, long now)
    {
        if (since is not null && sinceTime is not null)
        {
            throw LogsException.Usage("give --since or --since-time, not both");
        }
        if (since is not null)
        {
            return Durations.TryParse(since.Trim(), allowSign: false, out var duration, out var reason) && duration > TimeSpan.Zero
                ? now - duration.Ticks * 100
                : throw LogsException.Usage($"--since: expected a duration such as 5m or 1h, got '{since}'{(reason is null ? "" : $" ({reason})")}");
        }
        if (sinceTime is not null)
        {
            return Rfc3339.TryParse(Encoding.UTF8.GetBytes(sinceTime.Trim()), out var time)
                ? time
                : throw LogsException.Usage($"--since-time: expected an RFC 3339 time such as 2026-11-25T08:00:00Z, got '{sinceTime}'");
        }
        return null;
    }
}
