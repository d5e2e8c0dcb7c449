using Kansoku.Server.Ingest;
using Kansoku.Storage.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Endpoints;

/// <summary>Loki's push API, <c>POST /loki/api/v1/push</c>: JSON, or snappy protobuf (Content-Type application/x-protobuf).
/// 204 once the entries are durable, as Loki answers.</summary>
internal static class LokiPushEndpoints
{
    public static void MapLokiPushEndpoints(this IEndpointRouteBuilder app, ILogAppender appender, KansokuServerOptions options)
    {
        RequestDelegate push = context => PushAsync(context, appender, options);
        app.MapPost("/loki/api/v1/push", push);
        app.MapPost("/api/prom/push", push);
    }

    private static async Task PushAsync(HttpContext context, ILogAppender appender, KansokuServerOptions options)
    {
        // The lines are views of the body and the arena: both are released only after the append has completed.
        using var body = await RequestBody.ReadAsync(context, options.MaxRequestBytes);
        if (body is null)
        {
            return;
        }
        using var arena = new ByteArena();
        List<LogStreamBatch> streams;
        try
        {
            var contentType = context.Request.ContentType ?? "";
            streams = contentType.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase)
                ? LokiPushDecoder.DecodeProtobuf(body.Memory, arena)
                : LokiPushDecoder.DecodeJson(body.Memory, arena);
        }
        catch (FormatException e)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "bad_request", e.Message);
            return;
        }
        if (await StoreWrites.AppendAsync(context, appender, streams, "too_many_requests", "bad_request"))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }
}
