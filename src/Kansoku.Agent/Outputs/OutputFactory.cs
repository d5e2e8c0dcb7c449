using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs.Batching;
using Kansoku.Agent.Outputs.Buffering;
using Kansoku.Agent.Outputs.Elasticsearch;
using Kansoku.Agent.Outputs.Files;
using Kansoku.Agent.Outputs.Loki;
using Kansoku.Agent.Outputs.Stdout;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Outputs;

/// <summary>Builds outputs from configuration sections and from the CLI's <c>--output</c> shorthand.</summary>
internal static class OutputFactory
{
    public const int DefaultMaxBatchBytes = 4 << 20;

    private static readonly SourceLocation s_commandLine = new("--output", 0, 0);

    /// <summary>
    /// Creates the output for <paramref name="spec"/>. Remote outputs (loki, kansoku, es/elasticsearch/opensearch)
    /// always have a disk buffer; stdout and file write directly unless <c>storage.type filesystem</c>.
    /// Opening a disk buffer recovers what a previous run left; <see cref="IOutput.StartAsync"/> sends it.
    /// </summary>
    public static IOutput Create(ComponentSpec spec, OutputContext context)
    {
        var type = spec.Type.Trim().ToLowerInvariant();
        var retry = RetryOptions.FromSpec(spec);
        var bufferOptions = ReadBufferOptions(spec, context.Sync);
        var maxBatchBytes = (int)Math.Clamp(spec.GetSize("batch_size", DefaultMaxBatchBytes), 1, int.MaxValue / 2);
        var filesystem = ReadStorageType(spec);
        bool buffered;
        ILogSink sink;
        switch (type)
        {
            case "stdout":
                sink = new StdoutSink(Console.OpenStandardOutput(), StdoutSink.ParseFormat(spec));
                buffered = filesystem;
                break;
            case "file":
                sink = new FileSink(FileSink.ResolvePath(spec), context.Sync, context.Log);
                buffered = filesystem;
                break;
            case "loki":
            case "kansoku":
                sink = new LokiSink(LokiConfig.FromSpec(spec, kansoku: type == "kansoku"), context.Time);
                buffered = true;
                break;
            case "es":
            case "elasticsearch":
            case "opensearch":
                sink = new ElasticsearchSink(context.Name, ElasticsearchConfig.FromSpec(spec), context.Time, context.Log);
                buffered = true;
                break;
            default:
                throw new ConfigException(spec.Location, "name",
                    $"unknown output type '{spec.Type}' (known: stdout, file, loki, kansoku, es, elasticsearch, opensearch)");
        }
        if (!buffered)
        {
            return new DirectOutput(context.Name, sink, retry, context.Counters, context.Log, context.Time);
        }
        try
        {
            var buffer = DiskBuffer.Open(Path.Combine(context.StateDirectory, "buffer", context.Name), bufferOptions,
                context.Counters, context.Log, context.Name);
            return new BufferedOutput(context.Name, buffer, sink, retry, maxBatchBytes, context.Counters, context.Log, context.Time);
        }
        catch
        {
            sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// Parses the CLI's <c>--output</c> forms: <c>stdout</c>, <c>file:PATH</c>, <c>loki:URL</c>, <c>es:URL</c>
    /// (also <c>elasticsearch:</c>, <c>opensearch:</c>) and <c>kansoku:URL</c>. A URL without a scheme gets http://.
    /// </summary>
    public static ComponentSpec FromUrl(string value)
    {
        var text = value.Trim();
        if (text.Equals("stdout", StringComparison.OrdinalIgnoreCase))
        {
            return new ComponentSpec(ComponentKind.Output, "stdout", s_commandLine);
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? text.ToLowerInvariant() : text[..colon].ToLowerInvariant();
        var target = colon < 0 ? "" : text[(colon + 1)..].Trim();
        if (kind is not ("file" or "loki" or "kansoku" or "es" or "elasticsearch" or "opensearch"))
        {
            throw new ConfigException(s_commandLine, null,
                $"unknown output '{value}'; expected stdout, file:PATH, loki:URL, es:URL or kansoku:URL");
        }
        if (target.Length == 0)
        {
            throw new ConfigException(s_commandLine, null, $"'{value}' needs a {(kind == "file" ? "path" : "URL")} after '{kind}:'");
        }
        var spec = new ComponentSpec(ComponentKind.Output, kind, s_commandLine);
        if (kind == "file")
        {
            spec.Add("path", target, s_commandLine);
        }
        else
        {
            spec.Add("url", target.Contains("://", StringComparison.Ordinal) ? target : "http://" + target, s_commandLine);
        }
        return spec;
    }

    private static bool ReadStorageType(ComponentSpec spec)
    {
        var property = spec.Find("storage.type");
        return property?.Value.Trim().ToLowerInvariant() switch
        {
            null or "memory" => false,
            "filesystem" => true,
            _ => throw new ConfigException(property.Location, property.Key, $"expected memory or filesystem, got '{property.Value}'"),
        };
    }

    private static DiskBufferOptions ReadBufferOptions(ComponentSpec spec, SyncPolicy sync)
    {
        var fullAction = spec.Find("buffer_full_action");
        var action = fullAction?.Value.Trim().ToLowerInvariant() switch
        {
            null or "block" => BufferFullAction.Block,
            "drop_oldest" => BufferFullAction.DropOldest,
            "drop_newest" => BufferFullAction.DropNewest,
            _ => throw new ConfigException(fullAction.Location, fullAction.Key, $"expected block, drop_oldest or drop_newest, got '{fullAction.Value}'"),
        };
        return new DiskBufferOptions(
            Math.Max(1, spec.GetSize("storage.total_limit_size", DiskBufferOptions.DefaultQuotaBytes)),
            Math.Max(4096, spec.GetSize("storage.segment_size", DiskBufferOptions.DefaultSegmentBytes)),
            action,
            sync);
    }
}
