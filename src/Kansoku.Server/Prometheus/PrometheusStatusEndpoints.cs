using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Prometheus;

/// <summary>
/// <c>/api/v1/metadata</c>, <c>/targets</c>, <c>/status/{buildinfo,runtimeinfo,tsdb,flags,config}</c> and the
/// <c>/-/ready</c>, <c>/-/healthy</c> probes, in Prometheus' shapes.
/// </summary>
internal static class PrometheusStatusEndpoints
{
    private const int DefaultTsdbStatusLimit = 10;

    public static IEndpointRouteBuilder MapPrometheusStatusEndpoints(this IEndpointRouteBuilder app, PrometheusApiOptions options)
    {
        app.MapGet("/api/v1/metadata", ApiResponse.Handler(options, request =>
        {
            var limit = OptionalInteger(request, "limit");
            var limitPerMetric = OptionalInteger(request, "limit_per_metric");
            var byMetric = Metadata(options.Metadata?.Metadata(request.Value("metric")) ?? [], limit, limitPerMetric);
            return Data(writer =>
            {
                writer.WriteStartObject();
                foreach (var (metric, entries) in byMetric)
                {
                    writer.WriteStartArray(metric);
                    foreach (var entry in entries)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("type", entry.Type);
                        writer.WriteString("help", entry.Help);
                        writer.WriteString("unit", entry.Unit);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            });
        }));
        app.MapGet("/api/v1/targets", ApiResponse.Handler(options, request =>
        {
            var state = request.Context.Request.Query["state"].ToString().ToLowerInvariant();
            var pool = request.Context.Request.Query["scrapePool"].ToString();
            var showActive = state is "" or "any" or "active";
            var showDropped = state is "" or "any" or "dropped";
            var active = showActive ? ByPool(options.Targets?.ActiveTargets() ?? [], t => t.ScrapePool, pool) : [];
            var dropped = ByPool(options.Targets?.DroppedTargets() ?? [], t => t.ScrapePool, pool);
            return Data(writer => WriteTargets(writer, active, showDropped ? dropped : [], dropped));
        }));
        app.MapGet("/api/v1/status/buildinfo", ApiResponse.Handler(options, _ => Data(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("version", BuildInfo.Version);
            writer.WriteString("revision", BuildInfo.Revision);
            writer.WriteString("branch", "");
            writer.WriteString("buildUser", "");
            writer.WriteString("buildDate", "");
            // The runtime in Prometheus' field for it; clients only display it.
            writer.WriteString("goVersion", RuntimeInformation.FrameworkDescription);
            writer.WriteEndObject();
        })));
        app.MapGet("/api/v1/status/runtimeinfo", ApiResponse.Handler(options, _ => Data(writer =>
        {
            var status = options.Status;
            writer.WriteStartObject();
            PrometheusJson.WriteTime(writer, "startTime", options.StartTime);
            writer.WriteString("CWD", Environment.CurrentDirectory);
            writer.WriteBoolean("reloadConfigSuccess", status?.ReloadConfigSuccess ?? true);
            PrometheusJson.WriteTime(writer, "lastConfigTime", status?.LastConfigTime);
            writer.WriteNumber("corruptionCount", status?.CorruptionCount ?? 0);
            // Go's goroutines and GOMAXPROCS have .NET's thread pool threads and processor count as their counterparts.
            writer.WriteNumber("goroutineCount", ThreadPool.ThreadCount);
            writer.WriteNumber("GOMAXPROCS", Environment.ProcessorCount);
            writer.WriteNumber("GOMEMLIMIT", GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
            writer.WriteString("GOGC", "");
            writer.WriteString("GODEBUG", "");
            writer.WriteString("storageRetention", status?.StorageRetention ?? "");
            writer.WriteEndObject();
        })));
        app.MapGet("/api/v1/status/tsdb", ApiResponse.Handler(options, request =>
        {
            var limit = DefaultTsdbStatusLimit;
            if (request.Value("limit") is { } text && (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit) || limit < 1))
            {
                throw PrometheusApiException.BadData("limit must be a positive number");
            }
            var tsdb = options.Tsdb ?? throw new PrometheusApiException(PrometheusErrorType.Unavailable, "TSDB statistics are not available");
            var status = tsdb.Status(limit);
            return Data(writer => WriteTsdbStatus(writer, status));
        }));
        app.MapGet("/api/v1/status/flags", ApiResponse.Handler(options, _ => Data(writer =>
        {
            writer.WriteStartObject();
            var flags = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in options.Status?.Flags ?? new Dictionary<string, string>())
            {
                flags[name] = value;
            }
            foreach (var (name, value) in flags)
            {
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
        })));
        app.MapGet("/api/v1/status/config", ApiResponse.Handler(options, _ => Data(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("yaml", options.Status?.ConfigYaml ?? "");
            writer.WriteEndObject();
        })));
        app.MapMethods("/-/ready", ["GET", "HEAD"], async context =>
        {
            if (!options.IsReady())
            {
                await ApiResponse.WriteUnavailableAsync(context);
                return;
            }
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Kansoku is Ready.\n", context.RequestAborted);
        });
        // Prometheus serves this only with --web.enable-lifecycle; Kansoku always does, since a reload only reads the
        // file the server was started with again.
        app.MapMethods("/-/reload", ["POST", "PUT"], async context =>
        {
            if (options.Reloader is not { } reloader)
            {
                await ApiResponse.WriteUnavailableAsync(context);
                return;
            }
            if (await reloader.ReloadAsync() is { } error)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"failed to reload config: {error}\n", context.RequestAborted);
            }
        });
        app.MapMethods("/-/healthy", ["GET", "HEAD"], async context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Kansoku is Healthy.\n", context.RequestAborted);
        });
        return app;
    }

    private static Task<Action<Utf8JsonWriter>> Data(Action<Utf8JsonWriter> write) => Task.FromResult(write);

    /// <summary>A non-negative limit, or -1 (no limit) when absent; Prometheus' wording when it is not a number.</summary>
    private static int OptionalInteger(ApiRequest request, string name)
    {
        if (request.Value(name) is not { } text)
        {
            return -1;
        }
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw PrometheusApiException.BadData($"{name} must be a number");
    }

    /// <summary>Metadata grouped by metric in name order, duplicates (several targets exposing the same) removed.</summary>
    private static SortedDictionary<string, List<MetricMetadata>> Metadata(IReadOnlyList<MetricMetadata> entries, int limit, int limitPerMetric)
    {
        var byMetric = new SortedDictionary<string, List<MetricMetadata>>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!byMetric.TryGetValue(entry.Metric, out var list))
            {
                list = [];
                byMetric.Add(entry.Metric, list);
            }
            if ((limitPerMetric < 0 || list.Count < limitPerMetric) && !list.Contains(entry))
            {
                list.Add(entry);
            }
        }
        if (limit >= 0)
        {
            var kept = new SortedDictionary<string, List<MetricMetadata>>(StringComparer.Ordinal);
            foreach (var (metric, list) in byMetric)
            {
                if (kept.Count >= limit)
                {
                    break;
                }
                if (list.Count > 0)
                {
                    kept.Add(metric, list);
                }
            }
            return kept;
        }
        return byMetric;
    }

    /// <summary>Targets sorted by pool name, each pool in the order given, optionally only <paramref name="pool"/>.</summary>
    private static List<T> ByPool<T>(IReadOnlyList<T> targets, Func<T, string> poolOf, string pool)
    {
        var sorted = new List<(string Pool, int Index, T Target)>(targets.Count);
        for (var i = 0; i < targets.Count; i++)
        {
            if (pool.Length == 0 || poolOf(targets[i]) == pool)
            {
                sorted.Add((poolOf(targets[i]), i, targets[i]));
            }
        }
        sorted.Sort((a, b) => string.CompareOrdinal(a.Pool, b.Pool) is var byPool and not 0 ? byPool : a.Index.CompareTo(b.Index));
        var result = new List<T>(sorted.Count);
        foreach (var (_, _, target) in sorted)
        {
            result.Add(target);
        }
        return result;
    }

    private static void WriteTargets(Utf8JsonWriter writer, List<ActiveScrapeTarget> active, List<DroppedScrapeTarget> dropped,
        List<DroppedScrapeTarget> allDropped)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("activeTargets");
        foreach (var target in active)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("discoveredLabels");
            PrometheusJson.WriteLabelMap(writer, target.DiscoveredLabels);
            writer.WritePropertyName("labels");
            PrometheusJson.WriteLabelMap(writer, target.Labels);
            writer.WriteString("scrapePool", target.ScrapePool);
            writer.WriteString("scrapeUrl", target.ScrapeUrl);
            writer.WriteString("globalUrl", target.GlobalUrl);
            writer.WriteString("lastError", target.LastError);
            PrometheusJson.WriteTime(writer, "lastScrape", target.LastScrape);
            writer.WriteNumber("lastScrapeDuration", target.LastScrapeDuration.TotalSeconds);
            writer.WriteString("health", target.Health switch
            {
                TargetHealth.Up => "up",
                TargetHealth.Down => "down",
                _ => "unknown",
            });
            writer.WriteString("scrapeInterval", PrometheusDuration.Format((long)target.ScrapeInterval.TotalMilliseconds));
            writer.WriteString("scrapeTimeout", PrometheusDuration.Format((long)target.ScrapeTimeout.TotalMilliseconds));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("droppedTargets");
        foreach (var target in dropped)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("discoveredLabels");
            PrometheusJson.WriteLabelMap(writer, target.DiscoveredLabels);
            writer.WriteString("scrapePool", target.ScrapePool);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var target in allDropped)
        {
            counts[target.ScrapePool] = counts.GetValueOrDefault(target.ScrapePool) + 1;
        }
        writer.WriteStartObject("droppedTargetCounts");
        foreach (var (pool, count) in counts)
        {
            writer.WriteNumber(pool, count);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteTsdbStatus(Utf8JsonWriter writer, TsdbStatus status)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("headStats");
        writer.WriteNumber("numSeries", status.HeadStats.NumSeries);
        writer.WriteNumber("numLabelPairs", status.HeadStats.NumLabelPairs);
        writer.WriteNumber("chunkCount", status.HeadStats.ChunkCount);
        writer.WriteNumber("minTime", status.HeadStats.MinTimeMs);
        writer.WriteNumber("maxTime", status.HeadStats.MaxTimeMs);
        writer.WriteEndObject();
        WriteStats(writer, "seriesCountByMetricName", status.SeriesCountByMetricName);
        WriteStats(writer, "labelValueCountByLabelName", status.LabelValueCountByLabelName);
        WriteStats(writer, "memoryInBytesByLabelName", status.MemoryInBytesByLabelName);
        WriteStats(writer, "seriesCountByLabelValuePair", status.SeriesCountByLabelValuePair);
        writer.WriteEndObject();
    }

    private static void WriteStats(Utf8JsonWriter writer, string name, IReadOnlyList<CardinalityStat> stats)
    {
        writer.WriteStartArray(name);
        foreach (var stat in stats)
        {
            writer.WriteStartObject();
            writer.WriteString("name", stat.Name);
            writer.WriteNumber("value", stat.Value);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
