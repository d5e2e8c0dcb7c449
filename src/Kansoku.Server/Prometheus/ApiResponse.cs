using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kansoku.Server.Prometheus;

/// <summary>Prometheus' response envelope: <c>{"status":"success","data":…}</c> or <c>{"status":"error","errorType":…,"error":…}</c>.</summary>
internal static class ApiResponse
{
    public static async Task WriteSuccessAsync(HttpContext context, Action<Utf8JsonWriter> writeData,
        IReadOnlyList<string>? warnings = null, IReadOnlyList<string>? infos = null)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, PrometheusJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("status", "success");
            writer.WritePropertyName("data");
            writeData(writer);
            WriteStrings(writer, "warnings", warnings);
            WriteStrings(writer, "infos", infos);
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>Prometheus leaves the field out when there is nothing to say.</summary>
    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is not { Count: > 0 })
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    /// <summary><see cref="Handler"/> for <c>query</c> and <c>query_range</c>: the result's value, then its warnings and infos.</summary>
    public static RequestDelegate QueryHandler(PrometheusApiOptions options, Func<ApiRequest, Task<PromQL.Engine.QueryResult>> handle) =>
        Run(options, async request =>
        {
            var result = await handle(request);
            return new Answer(writer => PrometheusJson.WriteValue(writer, result.Value), result.Warnings, result.Infos);
        });

    public static async Task WriteErrorAsync(HttpContext context, PrometheusApiException error)
    {
        context.Response.StatusCode = error.StatusCode;
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, PrometheusJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("status", "error");
            writer.WriteString("errorType", error.TypeName);
            writer.WriteString("error", error.Message);
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Runs an API handler: answers 503 "Service Unavailable" (plain text, as Prometheus) while the server is not ready,
    /// turns <see cref="PrometheusApiException"/> into Prometheus' error body, and otherwise writes the data the handler
    /// produced. A store that fails while being read (I/O, corrupt data) is an <c>execution</c> error (422), as in
    /// Prometheus. Handlers compute everything before writing, so an error never follows a half-written success.
    /// </summary>
    public static RequestDelegate Handler(PrometheusApiOptions options, Func<ApiRequest, Task<Action<Utf8JsonWriter>>> handle) =>
        Run(options, async request => new Answer(await handle(request), null, null));

    private sealed record Answer(Action<Utf8JsonWriter> WriteData, IReadOnlyList<string>? Warnings, IReadOnlyList<string>? Infos);

    private static RequestDelegate Run(PrometheusApiOptions options, Func<ApiRequest, Task<Answer>> handle) => async context =>
    {
        if (!options.IsReady())
        {
            await WriteUnavailableAsync(context);
            return;
        }
        Answer answer;
        try
        {
            answer = await handle(await ApiRequest.ReadAsync(context));
        }
        catch (PrometheusApiException e)
        {
            await WriteErrorAsync(context, e);
            return;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            await WriteErrorAsync(context, new PrometheusApiException(PrometheusErrorType.Execution, e.Message));
            return;
        }
        await WriteSuccessAsync(context, answer.WriteData, answer.Warnings, answer.Infos);
    };

    public static async Task WriteUnavailableAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("Service Unavailable", context.RequestAborted);
    }
}
