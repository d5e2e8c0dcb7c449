using System.Text.Json;
using Kansoku.Server.Ingest;
using Kansoku.Storage.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Endpoints;

/// <summary>
/// Elasticsearch / OpenSearch ingest: <c>POST /_bulk</c>, <c>POST /{index}/_bulk</c>, the <c>GET /</c> version probe
/// clients make first, and <c>GET /_cat/health</c>, which rsyslog's omelasticsearch calls before it resumes after a failed
/// request. Responses have Elasticsearch's shapes so Fluent Bit, Fluentd, Filebeat and rsyslog accept them.
/// </summary>
internal static class BulkEndpoints
{
    public static void MapBulkEndpoints(this IEndpointRouteBuilder app, ILogAppender appender, BulkRequestParser parser, KansokuServerOptions options)
    {
        app.MapMethods("/", ["GET", "HEAD"], WriteClusterInfo);
        app.MapMethods("/_cat/health", ["GET", "HEAD"], WriteHealth);
        RequestDelegate bulk = context => BulkAsync(context, context.Request.RouteValues["index"] as string, appender, parser, options);
        app.MapMethods("/_bulk", ["POST", "PUT"], bulk);
        app.MapMethods("/{index}/_bulk", ["POST", "PUT"], bulk);
    }

    private static async Task WriteClusterInfo(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("name", Environment.MachineName);
        writer.WriteString("cluster_name", "kansoku");
        writer.WriteString("cluster_uuid", "kansoku");
        writer.WriteStartObject("version");
        // Clients pick their wire format by major version; 8.x is what current Fluent Bit, Filebeat and rsyslog expect.
        writer.WriteString("number", "8.11.0");
        writer.WriteString("build_flavor", "default");
        writer.WriteString("lucene_version", "9.8.0");
        writer.WriteString("minimum_wire_compatibility_version", "7.17.0");
        writer.WriteString("minimum_index_compatibility_version", "7.0.0");
        writer.WriteEndObject();
        writer.WriteString("tagline", "You Know, for Search");
        writer.WriteEndObject();
    }

    /// <summary>The <c>_cat</c> text row of a healthy one-node cluster: epoch, time, name, status, nodes, data nodes, shards.</summary>
    private static async Task WriteHealth(HttpContext context)
    {
        context.Response.ContentType = "text/plain; charset=UTF-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        await context.Response.WriteAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{now.ToUnixTimeSeconds()} {now:HH:mm:ss} kansoku green 1 1 0 0 0 0 0 0 - 100.0%\n"));
    }

    private static async Task BulkAsync(HttpContext context, string? index, ILogAppender appender, BulkRequestParser parser, KansokuServerOptions options)
    {
        var started = Environment.TickCount64;
        // The stored lines are views of the body: it is released only after the append has completed.
        using var body = await RequestBody.ReadAsync(context, options.MaxRequestBytes);
        if (body is null)
        {
            return;
        }
        var result = parser.Parse(body.Memory, index);
        if (result.Streams.Count > 0
            && !await StoreWrites.AppendAsync(context, appender, result.Streams, "es_rejected_execution_exception", "illegal_argument_exception"))
        {
            return;
        }
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteNumber("took", Environment.TickCount64 - started);
        var errors = false;
        foreach (var item in result.Items)
        {
            errors |= item.Status >= 300;
        }
        writer.WriteBoolean("errors", errors);
        writer.WriteStartArray("items");
        var sequence = 0L;
        foreach (var item in result.Items)
        {
            writer.WriteStartObject();
            writer.WriteStartObject(item.Action);
            writer.WriteString("_index", item.Index);
            writer.WriteString("_id", item.Id);
            writer.WriteNumber("status", item.Status);
            if (item.ErrorType is null)
            {
                writer.WriteNumber("_version", 1);
                writer.WriteString("result", "created");
                writer.WriteStartObject("_shards");
                writer.WriteNumber("total", 1);
                writer.WriteNumber("successful", 1);
                writer.WriteNumber("failed", 0);
                writer.WriteEndObject();
                writer.WriteNumber("_seq_no", sequence++);
                writer.WriteNumber("_primary_term", 1);
            }
            else
            {
                writer.WriteStartObject("error");
                writer.WriteString("type", item.ErrorType);
                writer.WriteString("reason", item.ErrorReason);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
