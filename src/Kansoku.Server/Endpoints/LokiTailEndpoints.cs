using Kansoku.Core.Time;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Kansoku.LogQL.Engine;
using Kansoku.LogQL.Parser;
using Kansoku.Storage.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Endpoints;

/// <summary>
/// Live tail, Loki's <c>/loki/api/v1/tail</c> WebSocket (what <c>logcli query --tail</c> and Grafana's live view use):
/// first the entries since <c>start</c> (default one hour ago, at most <c>limit</c>), then new ones as they arrive, one
/// JSON message <c>{"streams":[{"stream":{…},"values":[["&lt;ns&gt;","line"]]}],"dropped_entries":null}</c> per batch.
/// New entries are found by querying the store every <see cref="PollInterval"/>.
/// </summary>
internal static class LokiTailEndpoints
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(500);

    public static TimeSpan PollInterval => s_pollInterval;

    public static void MapLokiTailEndpoints(this IEndpointRouteBuilder app, LogQLEngine engine, TimeProvider time)
    {
        app.MapGet("/loki/api/v1/tail", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await LokiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "tail is a WebSocket endpoint: connect with Upgrade: websocket");
                return;
            }
            string query;
            long from;
            int limit;
            try
            {
                query = await LokiMetadataEndpoints.Param(context, "query") ?? throw new FormatException("missing query: give a LogQL log query");
                if (LogQLParser.Parse(query) is not LogQL.Parser.Ast.LogSelectorExpr)
                {
                    throw new FormatException("tail takes a log query, not a metric query");
                }
                from = await LokiMetadataEndpoints.Param(context, "start") is { } start
                    ? LokiTime.ParseTimestamp(start, "start")
                    : time.NowNanos() - (long)TimeSpan.FromHours(1).TotalNanoseconds;
                limit = await LokiMetadataEndpoints.Param(context, "limit") is { } limitText
                    && int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : 100;
            }
            catch (Exception e) when (e is FormatException or LogQLParseException)
            {
                await LokiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, e.Message);
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await TailAsync(socket, engine, query, from, limit, time, context.RequestAborted);
        });
    }

    private static async Task TailAsync(WebSocket socket, LogQLEngine engine, string query, long from, int limit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        // Entries at the newest timestamp already sent: the next query starts at that timestamp again (later arrivals
        // can share it), and these are not sent twice.
        var sentAtLast = new HashSet<(string Labels, string Line)>();
        var last = from;
        var first = true;
        var receive = socket.ReceiveAsync(new byte[256], cancellationToken);
        try
        {
            while (socket.State == WebSocketState.Open && !cancellationToken.IsCancellationRequested)
            {
                var now = time.NowNanos() + 1;
                var direction = first ? LogDirection.Backward : LogDirection.Forward;
                var result = (StreamsResult)engine.QueryRange(query, last, now, 1, direction, first ? limit : 5000, 0, cancellationToken);
                first = false;
                var message = Message(result, ref last, sentAtLast);
                if (message is not null)
                {
                    await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                }
                var wake = Task.Delay(s_pollInterval, time, cancellationToken);
                if (await Task.WhenAny(wake, receive) == receive)
                {
                    // The client closed (or sent something, which Loki ignores too); a close ends the tail.
                    if ((await receive).MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        return;
                    }
                    receive = socket.ReceiveAsync(new byte[256], cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away.
        }
    }

    /// <summary>The new entries as one tail message, oldest first; null when there are none.</summary>
    private static byte[]? Message(StreamsResult result, ref long last, HashSet<(string Labels, string Line)> sentAtLast)
    {
        var entries = new List<(long Timestamp, LabelList Labels, string Line)>();
        foreach (var stream in result.Streams)
        {
            foreach (var entry in stream.Entries)
            {
                entries.Add((entry.TimestampUnixNano, stream.Labels, entry.Line));
            }
        }
        entries.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("streams");
            var any = false;
            foreach (var (timestamp, labels, line) in entries)
            {
                var key = (labels.ToString(), line);
                if (timestamp < last || (timestamp == last && sentAtLast.Contains(key)))
                {
                    continue;
                }
                if (timestamp > last)
                {
                    last = timestamp;
                    sentAtLast.Clear();
                }
                sentAtLast.Add(key);
                any = true;
                writer.WriteStartObject();
                writer.WritePropertyName("stream");
                LokiJson.WriteLabels(writer, labels.AsSpan());
                writer.WriteStartArray("values");
                writer.WriteStartArray();
                writer.WriteStringValue(timestamp.ToString(CultureInfo.InvariantCulture));
                writer.WriteStringValue(line);
                writer.WriteEndArray();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteNull("dropped_entries");
            writer.WriteEndObject();
            writer.Flush();
            if (!any)
            {
                return null;
            }
        }
        return buffer.ToArray();
    }
}
