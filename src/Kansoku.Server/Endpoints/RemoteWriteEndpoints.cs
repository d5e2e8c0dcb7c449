using System.Text;
using Kansoku.RemoteWrite.Receiver;
using Kansoku.Storage.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Endpoints;

/// <summary>
/// Prometheus remote write 1.0, <c>POST /api/v1/write</c>: a snappy-compressed <c>prometheus.WriteRequest</c>, 204 once
/// committed. Errors are plain text, as Prometheus answers them, since senders log the first line of the body: 400 and
/// 413 are dropped by senders, 5xx retried; 415 for a body that is not a 1.0 request.
/// </summary>
internal static class RemoteWriteEndpoints
{
    /// <summary>Maps the receiver and returns it, for its counters.</summary>
    public static RemoteWriteReceiver MapRemoteWriteEndpoints(this IEndpointRouteBuilder app, ISampleAppendable store,
        KansokuServerOptions options, TimeProvider time)
    {
        var receiver = new RemoteWriteReceiver(store, time, options.MaxRequestBytes);
        app.MapPost("/api/v1/write", context => WriteAsync(context, receiver, options));
        return receiver;
    }

    private static async Task WriteAsync(HttpContext context, RemoteWriteReceiver receiver, KansokuServerOptions options)
    {
        if (UnsupportedMediaType(context.Request) is { } problem)
        {
            await WritePlainAsync(context, StatusCodes.Status415UnsupportedMediaType, problem);
            return;
        }
        using var body = await RequestBody.ReadAsync(context, options.MaxRequestBytes);
        if (body is null)
        {
            return;
        }
        var result = receiver.Write(body.Memory.Span);
        if (result.Error is { } error)
        {
            await WritePlainAsync(context, result.StatusCode, error);
            return;
        }
        context.Response.StatusCode = result.StatusCode;
    }

    /// <summary>
    /// Why the request is not remote write 1.0, or null. A missing Content-Type or Content-Encoding is taken as 1.0's, as
    /// Prometheus 2.x took any body; a <c>proto=</c> other than prometheus.WriteRequest is a 2.0 sender, which falls back
    /// to 1.0 on 415.
    /// </summary>
    private static string? UnsupportedMediaType(HttpRequest request)
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("snappy", StringComparison.OrdinalIgnoreCase))
        {
            return $"Content-Encoding '{encoding}' is not supported; remote write bodies are snappy-compressed";
        }
        var contentType = request.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }
        var parameters = contentType.AsSpan();
        var semicolon = parameters.IndexOf(';');
        var mediaType = (semicolon < 0 ? parameters : parameters[..semicolon]).Trim();
        if (!mediaType.Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            return $"Content-Type '{contentType}' is not supported; expected application/x-protobuf";
        }
        var proto = contentType.IndexOf("proto=", StringComparison.OrdinalIgnoreCase);
        if (proto >= 0 && !contentType.AsSpan(proto + "proto=".Length).Trim().StartsWith("prometheus.WriteRequest", StringComparison.Ordinal))
        {
            return $"Content-Type '{contentType}': only remote write 1.0 (proto=prometheus.WriteRequest) is supported";
        }
        return null;
    }

    private static async Task WritePlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(message + "\n"));
    }
}
