using Kansoku.Core.Time;
using System.Globalization;
using System.Text.Json;
using Kansoku.LogQL.Engine;
using Kansoku.LogQL.Engine.Go;
using Kansoku.LogQL.Parser;
using Kansoku.Storage.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Endpoints;

/// <summary>
/// LogQL over HTTP as Loki serves it: <c>/loki/api/v1/query</c> (instant) and <c>/loki/api/v1/query_range</c>, with
/// Loki's parameters (query, start, end, since, limit, direction, step, interval, time) and JSON shapes (streams,
/// vector, matrix, scalar), so Grafana's Loki data source and logcli work unchanged.
/// </summary>
internal static class LokiQueryEndpoints
{
    private const int DefaultLimit = 100;
    private static readonly TimeSpan s_defaultRange = TimeSpan.FromHours(1);

    public static void MapLokiQueryEndpoints(this IEndpointRouteBuilder app, LogQLEngine engine, TimeProvider time)
    {
        app.MapMethods("/loki/api/v1/query_range", ["GET", "POST"], context => RunAsync(context, time, async () =>
        {
            var query = await RequiredQuery(context);
            var (start, end) = await LokiMetadataEndpoints.TimeRange(context, time, s_defaultRange);
            var step = await LokiMetadataEndpoints.Param(context, "step") is { } stepText
                ? LokiTime.ParseDuration(stepText, "step").Ticks * 100
                : DefaultStep(start, end);
            if (step <= 0)
            {
                throw new FormatException("zero or negative query resolution step widths are not accepted. Try a positive integer");
            }
            var interval = await LokiMetadataEndpoints.Param(context, "interval") is { } intervalText
                ? LokiTime.ParseDuration(intervalText, "interval").Ticks * 100
                : 0;
            return engine.QueryRange(query, start, end, step, await Direction(context), await Limit(context), interval, context.RequestAborted);
        }));
        app.MapMethods("/loki/api/v1/query", ["GET", "POST"], context => RunAsync(context, time, async () =>
        {
            var query = await RequiredQuery(context);
            var at = await LokiMetadataEndpoints.Param(context, "time") is { } timeText ? LokiTime.ParseTimestamp(timeText, "time") : time.NowNanos();
            var parsed = LogQLParser.Parse(query);
            if (parsed is LogQL.Parser.Ast.LogSelectorExpr)
            {
                // An instant log query reads backwards from `time`, as Loki does.
                return engine.QueryRange(query, at - (long)s_defaultRange.TotalNanoseconds, at + 1, 1, await Direction(context), await Limit(context), 0, context.RequestAborted);
            }
            return engine.QueryInstant(query, at, context.RequestAborted);
        }));
    }

    /// <summary>Loki's default: the range split into about 250 steps, at least one second.</summary>
    private static long DefaultStep(long start, long end) => Math.Max((end - start) / 250 / 1_000_000_000L, 1) * 1_000_000_000L;

    private static async Task<string> RequiredQuery(HttpContext context) =>
        await LokiMetadataEndpoints.Param(context, "query") ?? throw new FormatException("missing query: give a LogQL expression");

    private static async Task<int> Limit(HttpContext context)
    {
        var text = await LokiMetadataEndpoints.Param(context, "limit");
        if (text is null)
        {
            return DefaultLimit;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : throw new FormatException($"invalid limit: '{text}' (a positive integer)");
    }

    private static async Task<LogDirection> Direction(HttpContext context) =>
        (await LokiMetadataEndpoints.Param(context, "direction"))?.ToLowerInvariant() switch
        {
            null or "backward" => LogDirection.Backward,
            "forward" => LogDirection.Forward,
            var other => throw new FormatException($"invalid direction: '{other}' (forward or backward)"),
        };

    private static async Task RunAsync(HttpContext context, TimeProvider time, Func<Task<QueryResult>> evaluate)
    {
        var started = time.GetTimestamp();
        QueryResult result;
        try
        {
            result = await evaluate();
        }
        catch (Exception e) when (e is FormatException or LogQLParseException)
        {
            await LokiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, e.Message);
            return;
        }
        catch (LogQLEvaluationException e)
        {
            await LokiErrors.WriteAsync(context, e.Kind == LogQLErrorKind.Timeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status400BadRequest, e.Message);
            return;
        }
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", "success");
        writer.WriteStartObject("data");
        writer.WriteString("resultType", result.ResultType);
        writer.WritePropertyName("result");
        WriteResult(writer, result);
        WriteStats(writer, result.Statistics, time.GetElapsedTime(started));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter writer, QueryResult result)
    {
        switch (result)
        {
            case StreamsResult streams:
                writer.WriteStartArray();
                foreach (var stream in streams.Streams)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("stream");
                    LokiJson.WriteLabels(writer, stream.Labels.AsSpan());
                    writer.WriteStartArray("values");
                    foreach (var entry in stream.Entries)
                    {
                        writer.WriteStartArray();
                        writer.WriteStringValue(entry.TimestampUnixNano.ToString(CultureInfo.InvariantCulture));
                        writer.WriteStringValue(entry.Line);
                        writer.WriteEndArray();
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                break;
            case VectorResult vector:
                writer.WriteStartArray();
                foreach (var sample in vector.Samples)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("metric");
                    LokiJson.WriteLabels(writer, sample.Labels.AsSpan());
                    writer.WritePropertyName("value");
                    WritePoint(writer, sample.TimestampMs, sample.Value);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                break;
            case MatrixResult matrix:
                writer.WriteStartArray();
                foreach (var series in matrix.Series)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("metric");
                    LokiJson.WriteLabels(writer, series.Labels.AsSpan());
                    writer.WriteStartArray("values");
                    foreach (var point in series.Points)
                    {
                        WritePoint(writer, point.TimestampMs, point.Value);
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                break;
            case ScalarResult scalar:
                WritePoint(writer, scalar.TimestampMs, scalar.Value);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary><c>[&lt;unix seconds, ms precision&gt;, "&lt;value as Go formats it&gt;"]</c>, as Prometheus and Loki write samples.</summary>
    private static void WritePoint(Utf8JsonWriter writer, long timestampMs, double value)
    {
        writer.WriteStartArray();
        writer.WriteRawValue((timestampMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture));
        writer.WriteStringValue(GoFloats.FormatF(value));
        writer.WriteEndArray();
    }

    private static void WriteStats(Utf8JsonWriter writer, QueryStatistics statistics, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        writer.WriteStartObject("stats");
        writer.WriteStartObject("summary");
        writer.WriteNumber("bytesProcessedPerSecond", (long)(statistics.BytesScanned / seconds));
        writer.WriteNumber("linesProcessedPerSecond", (long)(statistics.EntriesScanned / seconds));
        writer.WriteNumber("totalBytesProcessed", statistics.BytesScanned);
        writer.WriteNumber("totalLinesProcessed", statistics.EntriesScanned);
        writer.WriteNumber("execTime", elapsed.TotalSeconds);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
