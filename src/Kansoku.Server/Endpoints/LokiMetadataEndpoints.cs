using Kansoku.Core.Time;
using System.Text.Json;
using Kansoku.Core.Labels;
using Kansoku.LogQL.Parser;
using Kansoku.Storage.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Endpoints;

/// <summary>
/// Loki's label and index API as Grafana's Loki data source and logcli call it: <c>/loki/api/v1/labels</c>,
/// <c>/label/{name}/values</c>, <c>/series</c>, <c>/index/stats</c> and <c>/status/buildinfo</c>, with Loki's JSON shapes.
/// Without start/end the range is the last 6 hours, as in Loki.
/// </summary>
internal static class LokiMetadataEndpoints
{
    private static readonly TimeSpan s_defaultRange = TimeSpan.FromHours(6);

    public static void MapLokiMetadataEndpoints(this IEndpointRouteBuilder app, ILogQuerier logs, TimeProvider time)
    {
        app.MapMethods("/loki/api/v1/labels", ["GET", "POST"], context => Answer(context, time, async (range, writer) =>
        {
            WriteStrings(writer, logs.LabelNames(range.Start, range.End));
            await Task.CompletedTask;
        }));
        app.MapMethods("/loki/api/v1/label/{name}/values", ["GET", "POST"], context => Answer(context, time, async (range, writer) =>
        {
            var name = (string)context.Request.RouteValues["name"]!;
            var matchers = await SelectorParam(context, "query", required: false);
            WriteStrings(writer, logs.LabelValues(name, matchers, range.Start, range.End));
        }));
        app.MapMethods("/loki/api/v1/series", ["GET", "POST"], context => Answer(context, time, async (range, writer) =>
        {
            var selectors = await Params(context, "match[]");
            if (selectors.Count == 0)
            {
                selectors = await Params(context, "match");
            }
            if (selectors.Count == 0)
            {
                throw new FormatException("missing match[]: give at least one stream selector");
            }
            var seen = new HashSet<LabelSet>();
            writer.WriteStartArray("data");
            foreach (var selector in selectors)
            {
                foreach (var series in logs.Series(ParseSelector(selector), range.Start, range.End))
                {
                    if (seen.Add(series))
                    {
                        LokiJson.WriteLabels(writer, series.AsSpan());
                    }
                }
            }
            writer.WriteEndArray();
        }, wrapData: false));
        app.MapMethods("/loki/api/v1/index/stats", ["GET", "POST"], async context =>
        {
            try
            {
                var range = await TimeRange(context, time);
                var stats = logs.Stats(await SelectorParam(context, "query", required: true), range.Start, range.End);
                context.Response.ContentType = "application/json";
                await using var writer = new Utf8JsonWriter(context.Response.Body);
                writer.WriteStartObject();
                writer.WriteNumber("streams", stats.Streams);
                writer.WriteNumber("chunks", stats.Chunks);
                writer.WriteNumber("bytes", stats.Bytes);
                writer.WriteNumber("entries", stats.Entries);
                writer.WriteEndObject();
            }
            catch (Exception e) when (e is FormatException or LogQLParseException)
            {
                await LokiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, e.Message);
            }
        });
        app.MapGet("/loki/api/v1/status/buildinfo", async context =>
        {
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body);
            writer.WriteStartObject();
            writer.WriteString("version", BuildInfo.Version);
            writer.WriteString("revision", BuildInfo.Revision);
            writer.WriteString("branch", "main");
            writer.WriteString("buildUser", "kansoku");
            writer.WriteString("buildDate", "");
            writer.WriteString("goVersion", "");
            writer.WriteEndObject();
        });
    }

    /// <summary>Writes Loki's <c>{"status":"success","data":…}</c> envelope around what <paramref name="write"/> produces.</summary>
    private static async Task Answer(HttpContext context, TimeProvider time, Func<(long Start, long End), Utf8JsonWriter, Task> write, bool wrapData = true)
    {
        (long, long) range;
        using var body = new MemoryStream();
        try
        {
            range = await TimeRange(context, time);
            await using var writer = new Utf8JsonWriter(body);
            writer.WriteStartObject();
            writer.WriteString("status", "success");
            if (wrapData)
            {
                writer.WritePropertyName("data");
            }
            await write(range, writer);
            writer.WriteEndObject();
        }
        catch (Exception e) when (e is FormatException or LogQLParseException)
        {
            await LokiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, e.Message);
            return;
        }
        context.Response.ContentType = "application/json";
        body.Position = 0;
        await body.CopyToAsync(context.Response.Body);
    }

    internal static async Task<(long Start, long End)> TimeRange(HttpContext context, TimeProvider time, TimeSpan? defaultRange = null)
    {
        var end = await Param(context, "end") is { } endText ? LokiTime.ParseTimestamp(endText, "end") : time.NowNanos();
        long start;
        if (await Param(context, "start") is { } startText)
        {
            start = LokiTime.ParseTimestamp(startText, "start");
        }
        else if (await Param(context, "since") is { } since)
        {
            start = end - LokiTime.ParseDuration(since, "since").Ticks * 100;
        }
        else
        {
            start = end - (defaultRange ?? s_defaultRange).Ticks * 100;
        }
        if (end < start)
        {
            throw new FormatException("end timestamp must not be before start time");
        }
        return (start, end);
    }

    internal static async Task<string?> Param(HttpContext context, string name)
    {
        var values = await Params(context, name);
        return values.Count == 0 ? null : values[^1];
    }

    /// <summary>A parameter from the query string or, for POST, the form body (Grafana sends both).</summary>
    internal static async Task<List<string>> Params(HttpContext context, string name)
    {
        var values = new List<string>();
        foreach (var value in context.Request.Query[name])
        {
            if (!string.IsNullOrEmpty(value))
            {
                values.Add(value);
            }
        }
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var value in form[name])
            {
                if (!string.IsNullOrEmpty(value))
                {
                    values.Add(value);
                }
            }
        }
        return values;
    }

    private static async Task<IReadOnlyList<LabelMatcher>> SelectorParam(HttpContext context, string name, bool required)
    {
        var text = await Param(context, name);
        if (text is null)
        {
            return required ? throw new FormatException($"missing {name}: give a stream selector such as {{namespace=\"default\"}}") : [];
        }
        return ParseSelector(text);
    }

    private static IReadOnlyList<LabelMatcher> ParseSelector(string text) => LogQLParser.ParseLogSelector(text).Matchers;

    private static void WriteStrings(Utf8JsonWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
