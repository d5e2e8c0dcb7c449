using Microsoft.AspNetCore.Http;

namespace Kansoku.Server.Endpoints;

/// <summary>Loki answers query errors as plain text (the message, e.g. <c>parse error at line 1, col 7: …</c>), which logcli and Grafana show as is.</summary>
internal static class LokiErrors
{
    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
