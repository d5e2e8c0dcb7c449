using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Kansoku.Cli.Commands;

/// <summary>
/// <c>kansoku query 'EXPR' [--time T | --start S --end E --step D] [--server URL] [-o table|json]</c>: a PromQL query
/// against a server's Prometheus API, printed as <c>promtool query instant</c> / <c>query range</c> print it.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var expression = new Argument<string>("EXPR") { Description = "A PromQL expression." };
        var time = new Option<string?>("--time") { Description = "Evaluate at this time (RFC 3339 or Unix seconds); default: now." };
        var start = new Option<string?>("--start") { Description = "A range query from this time (RFC 3339 or Unix seconds); default: 5 minutes before --end." };
        var end = new Option<string?>("--end") { Description = "A range query up to this time; default: now." };
        var step = new Option<string?>("--step") { Description = "Resolution of a range query (15s, 1m, or seconds); default: the range / 250, at least 1s." };
        var server = new Option<string?>("--server") { Description = ServerAddress.Description };
        var output = new Option<string>("--output", "-o") { Description = "table (as promtool prints) or json (the API's result).", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var command = new Command("query", "Run a PromQL query against the server and print the result, as promtool query does.")
        {
            expression, time, start, end, step, server, output,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var isRange = parseResult.GetValue(start) is not null || parseResult.GetValue(end) is not null || parseResult.GetValue(step) is not null;
            if (isRange && parseResult.GetValue(time) is not null)
            {
                error.WriteLine("kansoku query: --time is for an instant query; --start, --end and --step for a range query: not both");
                return 2;
            }
            var parameters = new List<KeyValuePair<string, string>> { new("query", parseResult.GetValue(expression)!) };
            string path;
            if (isRange)
            {
                path = "/api/v1/query_range";
                if (!RangeParameters(parseResult.GetValue(start), parseResult.GetValue(end), parseResult.GetValue(step), parameters, out var problem))
                {
                    error.WriteLine($"kansoku query: {problem}");
                    return 2;
                }
            }
            else
            {
                path = "/api/v1/query";
                if (parseResult.GetValue(time) is { } at)
                {
                    parameters.Add(new("time", at));
                }
            }
            var baseUrl = ServerAddress.Resolve(parseResult.GetValue(server)).TrimEnd('/');
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("kansoku", Kansoku.Server.BuildInfo.Version));
            string body;
            try
            {
                using var content = new FormUrlEncodedContent(parameters);
                using var response = await http.PostAsync(new Uri(baseUrl + path), content, cancellationToken);
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (HttpRequestException e)
            {
                error.WriteLine($"kansoku query: {baseUrl}: {e.Message}");
                return 1;
            }
            using var document = ParseBody(body);
            if (document is null)
            {
                error.WriteLine($"kansoku query: {baseUrl} did not answer with the Prometheus API's JSON: {FirstLine(body)}");
                return 1;
            }
            var root = document.RootElement;
            if (root.GetProperty("status").GetString() != "success")
            {
                error.WriteLine($"query error: {root.GetProperty("errorType").GetString()}: {root.GetProperty("error").GetString()}");
                return 1;
            }
            foreach (var field in (string[])["warnings", "infos"])
            {
                if (root.TryGetProperty(field, out var notes))
                {
                    foreach (var note in notes.EnumerateArray())
                    {
                        error.WriteLine(note.GetString());
                    }
                }
            }
            var data = root.GetProperty("data");
            var result = data.GetProperty("result");
            parseResult.InvocationConfiguration.Output.Write(parseResult.GetValue(output) == "json"
                ? result.GetRawText() + "\n"
                : PromtoolText(data.GetProperty("resultType").GetString(), result));
            return 0;
        });
        return command;
    }

    private static JsonDocument? ParseBody(string body)
    {
        try
        {
            var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("status", out _))
            {
                return document;
            }
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>promtool's defaults: end now, start five minutes before, step the range over 250 (whole seconds, at least one).</summary>
    private static bool RangeParameters(string? start, string? end, string? step, List<KeyValuePair<string, string>> parameters, out string problem)
    {
        problem = "";
        var endSeconds = end is null ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 : Seconds(end);
        var startSeconds = start is null ? endSeconds - 300 : Seconds(start);
        if (endSeconds is null || startSeconds is null)
        {
            problem = $"cannot read {(startSeconds is null ? "--start " + start : "--end " + end)} as RFC 3339 or Unix seconds";
            return false;
        }
        parameters.Add(new("start", start ?? startSeconds.Value.ToString("R", CultureInfo.InvariantCulture)));
        parameters.Add(new("end", end ?? endSeconds.Value.ToString("R", CultureInfo.InvariantCulture)));
        var resolution = Math.Max(Math.Floor((endSeconds.Value - startSeconds.Value) / 250), 1);
        parameters.Add(new("step", step ?? resolution.ToString(CultureInfo.InvariantCulture)));
        return true;
    }

    private static double? Seconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUnixTimeMilliseconds() / 1000.0
        : null;

    /// <summary>The result as Prometheus' model values print: <c>name{a="x", b="y"} => 1 @[1700000000]</c>, a matrix series per block.</summary>
    internal static string PromtoolText(string? resultType, JsonElement result)
    {
        var text = new StringBuilder();
        switch (resultType)
        {
            case "vector":
                var first = true;
                foreach (var sample in result.EnumerateArray())
                {
                    text.Append(first ? "" : "\n");
                    first = false;
                    AppendMetric(text, sample.GetProperty("metric")).Append(" => ");
                    AppendPoint(text, sample.GetProperty("value"));
                }
                break;
            case "matrix":
                var firstSeries = true;
                foreach (var series in result.EnumerateArray())
                {
                    text.Append(firstSeries ? "" : "\n");
                    firstSeries = false;
                    AppendMetric(text, series.GetProperty("metric")).Append(" =>");
                    foreach (var point in series.GetProperty("values").EnumerateArray())
                    {
                        AppendPoint(text.Append('\n'), point);
                    }
                }
                break;
            case "scalar":
                AppendPoint(text.Append("scalar: "), result);
                break;
            default:
                text.Append(result[1].GetString());
                break;
        }
        return text.Append('\n').ToString();
    }

    private static StringBuilder AppendMetric(StringBuilder text, JsonElement metric)
    {
        var labels = new List<(string Name, string Value)>();
        string? name = null;
        foreach (var label in metric.EnumerateObject())
        {
            if (label.Name == "__name__")
            {
                name = label.Value.GetString();
            }
            else
            {
                labels.Add((label.Name, label.Value.GetString() ?? ""));
            }
        }
        labels.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        text.Append(name);
        if (labels.Count == 0 && name is not null)
        {
            return text;
        }
        text.Append('{');
        for (var i = 0; i < labels.Count; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(labels[i].Name).Append("=\"");
            foreach (var c in labels[i].Value)
            {
                text.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    _ => c.ToString(),
                });
            }
            text.Append('"');
        }
        return text.Append('}');
    }

    /// <summary><c>VALUE @[TIME]</c>: the value as the API gave it (Go's formatting already), the time in seconds.</summary>
    private static void AppendPoint(StringBuilder text, JsonElement point) =>
        text.Append(point[1].GetString()).Append(" @[").Append(point[0].GetRawText()).Append(']');

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var line = end < 0 ? text : text[..end];
        return line.Length > 200 ? line[..200] : line;
    }
}
