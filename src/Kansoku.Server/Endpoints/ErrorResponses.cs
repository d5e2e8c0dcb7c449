using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kansoku.Server.Endpoints;

/// <summary>Error bodies every client can read: Elasticsearch's <c>{"error":{"type","reason"},"status"}</c>, which carries a
/// plain-text reason Loki clients print as well.</summary>
internal static class ErrorResponses
{
    public static async Task WriteAsync(HttpContext context, int status, string type, string reason, TimeSpan? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("type", type);
        writer.WriteString("reason", reason);
        writer.WriteEndObject();
        writer.WriteNumber("status", status);
        writer.WriteEndObject();
    }
}
