using System.CommandLine;
using Kansoku.Agent.Config;
using Kansoku.Agent.Http;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Cli.Commands;

/// <summary>
/// <c>kansoku agent</c>: the node log agent. Runs a pipeline from a config file (Kansoku YAML or Fluent Bit classic), or
/// one made from flags: <c>--path GLOB --output SPEC --state-dir DIR [--read-from head|tail] [--once]</c>.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Pipeline file: Kansoku YAML or Fluent Bit classic (.conf)." };
        var check = new Option<bool>("--check") { Description = "Validate the configuration, print the pipeline and exit." };
        var path = new Option<string[]>("--path") { Description = "Files to tail (glob; repeatable). Default /var/log/containers/*.log.", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string[]>("--output", "-o") { Description = "Where records go (repeatable): stdout | file:PATH | loki:URL | es:URL | kansoku:URL." };
        var stateDir = new Option<string?>("--state-dir") { Description = "Checkpoints and output buffers. Default ./agent-state (or [SERVICE] storage.path)." };
        var readFrom = new Option<string>("--read-from") { Description = "Files present at start: head or tail (default tail; files appearing later are read whole).", DefaultValueFactory = _ => "tail" };
        readFrom.AcceptOnlyFromAmong("head", "tail");
        var once = new Option<bool>("--once") { Description = "Read every matched file to its end, deliver, checkpoint and exit 0." };
        var parser = new Option<string>("--parser") { Description = "Parser for container lines in flag mode: json (merge JSON lines beside log, the default), logfmt, or none.", DefaultValueFactory = _ => "json" };
        var httpListen = new Option<string?>("--http-listen") { Description = "HOST:PORT for /metrics and /healthz (e.g. 127.0.0.1:2020)." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Take pod metadata from the API server in this kubeconfig (in a pod: in-cluster config is used)." };
        var drainTimeout = new Option<double?>("--drain-timeout") { Description = "Seconds delivery may take at the end of --once or after SIGTERM (default: [SERVICE] Grace, else 30)." };
        var storageSync = new Option<string?>("--storage-sync")
        {
            Description = "normal: data is acknowledged once written to the OS (survives kill -9; the default, as Fluent Bit's storage.sync); " +
                          "full: once fsynced (survives power loss).",
        };
        storageSync.AcceptOnlyFromAmong("normal", "full");
        var logLevel = new Option<string?>("--log-level") { Description = "info or debug (default: [SERVICE] Log_Level, else info)." };

        var command = new Command("agent", "Tail container logs, parse, add Kubernetes metadata, filter and ship them.")
        {
            config, check, path, output, stateDir, readFrom, once, parser, httpListen, kubeconfig, drainTimeout, storageSync, logLevel,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            PipelineSpec spec;
            try
            {
                var configFile = parseResult.GetValue(config);
                if (configFile is not null)
                {
                    spec = ConfigLoader.Load(configFile.FullName);
                    foreach (var ignored in new Option[] { path, output, readFrom, parser, kubeconfig })
                    {
                        if (parseResult.GetResult(ignored) is { Implicit: false })
                        {
                            error.WriteLine($"kansoku agent: warning: {ignored.Name} is ignored with --config: the config file describes the pipeline");
                        }
                    }
                }
                else
                {
                    var outputs = parseResult.GetValue(output) ?? [];
                    if (outputs.Length == 0)
                    {
                        error.WriteLine("kansoku agent: give --config FILE, or --output (and --path) to run without one");
                        return 2;
                    }
                    spec = FlagPipeline.Build(
                        parseResult.GetValue(path) ?? [],
                        outputs,
                        parseResult.GetValue(readFrom) == "head",
                        parseResult.GetValue(parser)!,
                        parseResult.GetValue(kubeconfig));
                }
            }
            catch (ConfigException e)
            {
                error.WriteLine($"kansoku agent: {e.Message}");
                return 2;
            }

            // Every [SERVICE] key is read whether or not a flag overrides it, so only real typos are reported as unknown.
            var serviceLevel = spec.Service.Get("Log_Level");
            var serviceListen = ServiceListen(spec);
            var serviceGrace = spec.Service.GetDuration("Grace", TimeSpan.FromSeconds(30));
            var serviceState = spec.Service.Get("storage.path");
            // The agent always runs in the foreground (a DaemonSet's container); Daemon is accepted and has no effect.
            spec.Service.MarkUsed("Daemon");
            var level = parseResult.GetValue(logLevel) ?? serviceLevel ?? "info";
            var log = new AgentLog(error, level.Trim().ToLowerInvariant() is "debug" or "trace");
            var state = parseResult.GetValue(stateDir) ?? serviceState ?? "agent-state";
            var serviceSync = spec.Service.Find("storage.sync");
            if (serviceSync is not null && serviceSync.Value.Trim().ToLowerInvariant() is not ("normal" or "full"))
            {
                error.WriteLine($"kansoku agent: {serviceSync.Location}: storage.sync: expected normal or full, got '{serviceSync.Value}'");
                return 2;
            }
            var run = new AgentRunOptions(
                Path.GetFullPath(state),
                parseResult.GetValue(once),
                parseResult.GetValue(httpListen) ?? serviceListen,
                parseResult.GetValue(drainTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : serviceGrace,
                ParseSync(parseResult.GetValue(storageSync) ?? serviceSync?.Value ?? "normal"));

            if (parseResult.GetValue(check))
            {
                return await CheckAsync(spec, run, parseResult.InvocationConfiguration.Output, error);
            }

            AgentPipeline pipeline;
            try
            {
                pipeline = AgentPipeline.Build(spec, run, log, TimeProvider.System);
            }
            catch (ConfigException e)
            {
                error.WriteLine($"kansoku agent: {e.Message}");
                return 2;
            }
            foreach (var warning in spec.Warnings)
            {
                log.Warn(warning.ToString());
            }
            await using (pipeline)
            {
                AgentHttpServer? http = null;
                if (run.HttpListen is { } listen)
                {
                    http = new AgentHttpServer(listen, pipeline);
                    http.Start();
                    log.Info($"serving /metrics and /healthz on http://{listen}");
                }
                // SIGTERM and SIGINT stop reading; the pipeline then delivers and checkpoints within --drain-timeout.
                using var stop = new StopSignals(
                    signal => log.Info($"{signal}: stopping; delivering what was read (at most {run.DrainTimeout.TotalSeconds:0}s)"), cancellationToken);
                try
                {
                    log.Info($"agent started; state in {run.StateDirectory}");
                    var code = await pipeline.RunAsync(stop.Token);
                    var memory = GC.GetGCMemoryInfo();
                    log.Info($"agent stopped; GC heap {memory.HeapSizeBytes >> 20} MiB, committed {memory.TotalCommittedBytes >> 20} MiB, " +
                             $"working set {Environment.WorkingSet >> 20} MiB, {GC.CollectionCount(0)} gen0 / {GC.CollectionCount(2)} gen2 collections");
                    return code;
                }
                finally
                {
                    if (http is not null)
                    {
                        await http.DisposeAsync();
                    }
                }
            }
        });
        return command;
    }

    private static SyncPolicy ParseSync(string value) =>
        value.Trim().Equals("full", StringComparison.OrdinalIgnoreCase) ? SyncPolicy.Full : SyncPolicy.Normal;

    private static string? ServiceListen(PipelineSpec spec)
    {
        var enabled = spec.Service.GetBool("HTTP_Server", defaultValue: false);
        var listen = spec.Service.Get("HTTP_Listen") ?? "0.0.0.0";
        var port = spec.Service.Get("HTTP_Port") ?? "2020";
        return enabled ? $"{listen}:{port}" : null;
    }

    private static async Task<int> CheckAsync(PipelineSpec spec, AgentRunOptions run, TextWriter output, TextWriter error)
    {
        var scratch = Directory.CreateTempSubdirectory("kansoku-check-");
        try
        {
            await using var pipeline = AgentPipeline.Build(spec, run with { StateDirectory = scratch.FullName }, AgentLog.Null, TimeProvider.System, validateOnly: true);
            PipelineSpecPrinter.Print(spec, output);
            output.WriteLine("configuration is valid");
            return 0;
        }
        catch (ConfigException e)
        {
            error.WriteLine($"kansoku agent: {e.Message}");
            return 2;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
