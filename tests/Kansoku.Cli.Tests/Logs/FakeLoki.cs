using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Kansoku.Cli.Tests.Logs;

/// <summary>
/// A Loki query server on 127.0.0.1 (HttpListener) holding entries in memory and answering
/// <c>/loki/api/v1/query_range</c> as Loki does — entries in [start, end), ordered by <c>direction</c>, at most
/// <c>limit</c>, grouped into streams — whatever the query says, so tests can assert the query the CLI built and what it
/// printed. Every request's parameters are recorded. Entries can be added while a client follows.
/// </summary>
internal sealed class FakeLoki : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly List<FakeLokiEntry> _entries = [];
    private readonly List<QueryRangeRequest> _requests = [];

    private FakeLoki(HttpListener listener, int port)
    {
        _listener = listener;
        Url = $"http://127.0.0.1:{port}";
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>When set, every request is answered with this status and plain-text body, as Loki reports errors.</summary>
    public (int Status, string Text)? Error { get; set; }

    public IReadOnlyList<QueryRangeRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static FakeLoki Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FakeHttpServer.FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeLoki(listener, port);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    public void Add(params FakeLokiEntry[] entries)
    {
        lock (_entries)
        {
            _entries.AddRange(entries);
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                var (status, contentType, body) = Answer(context.Request);
                var response = context.Response;
                response.StatusCode = status;
                response.ContentType = contentType;
                var bytes = Encoding.UTF8.GetBytes(body);
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away (SIGTERM while a poll was under way).
            }
        }
    }

    private (int Status, string ContentType, string Body) Answer(HttpListenerRequest request)
    {
        if (request.Url!.AbsolutePath != "/loki/api/v1/query_range")
        {
            return (404, "text/plain", "404 page not found");
        }
        var query = request.QueryString;
        var recorded = new QueryRangeRequest(query["query"] ?? "", Long(query["start"]), Long(query["end"]), (int)Long(query["limit"]),
            query["direction"] ?? "");
        lock (_requests)
        {
            _requests.Add(recorded);
        }
        if (Error is { } error)
        {
            return (error.Status, "text/plain; charset=utf-8", error.Text);
        }
        List<FakeLokiEntry> selected;
        lock (_entries)
        {
            var inRange = _entries.Where(e => e.Time >= recorded.Start && e.Time < recorded.End);
            // Backward is forward reversed, entries of one timestamp included, as Loki iterates.
            var forward = inRange.OrderBy(e => e.Time);
            selected = [.. (recorded.Direction == "backward" ? forward.Reverse() : forward).Take(recorded.Limit)];
        }
        return (200, "application/json", Render(selected));
    }

    private static string Render(List<FakeLokiEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", "success");
            json.WriteStartObject("data");
            json.WriteString("resultType", "streams");
            json.WriteStartArray("result");
            foreach (var stream in entries.GroupBy(e => e.LabelsKey))
            {
                json.WriteStartObject();
                json.WriteStartObject("stream");
                foreach (var (name, value) in stream.First().Labels)
                {
                    json.WriteString(name, value);
                }
                json.WriteEndObject();
                json.WriteStartArray("values");
                foreach (var entry in stream)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(entry.Time.ToString(CultureInfo.InvariantCulture));
                    json.WriteStringValue(entry.Line);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("stats");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static long Long(string? text) => long.Parse(text ?? "0", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _listener.Close();
        _loop.GetAwaiter().GetResult();
    }
}
