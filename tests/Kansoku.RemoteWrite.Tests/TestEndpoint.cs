using Kansoku.RemoteWrite.Prompb;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Kansoku.RemoteWrite.Tests;

/// <summary>
/// A remote write endpoint on 127.0.0.1 whose answers a test scripts: it keeps every request it is sent (headers and
/// the decoded WriteRequest), then answers with what <see cref="Respond"/> says for that request (204 by default).
/// </summary>
internal sealed class TestEndpoint : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<ReceivedRequest> _requests = [];
    private WebHost _host = null!;

    public Uri Url => new(_host.Address, "/write");

    /// <summary>The status (and headers) for the request with this 0-based number.</summary>
    public Func<int, HttpResponse, Task> Respond { get; set; } = (_, response) =>
    {
        response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    };

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Every sample received in requests answered 2xx, in arrival order, with labels as <c>{a="b"}</c> text.</summary>
    public List<(string Labels, long TimestampMs, double Value)> AcceptedSamples()
    {
        var samples = new List<(string, long, double)>();
        foreach (var request in Requests)
        {
            if (request.Status / 100 != 2)
            {
                continue;
            }
            foreach (var series in request.Body.Timeseries)
            {
                var labels = string.Join(", ", series.Labels.Select(l => $"{l.Name}=\"{l.Value}\""));
                samples.AddRange(series.Samples.Select(s => ("{" + labels + "}", s.Timestamp, s.Value)));
            }
        }
        return samples;
    }

    /// <param name="listen">Further setup of the listener, e.g. HTTPS with a test certificate.</param>
    public static async Task<TestEndpoint> StartAsync(Action<ListenOptions>? listen = null)
    {
        var endpoint = new TestEndpoint();
        endpoint._host = await WebHost.StartAsync(app => app.MapPost("/write", endpoint.HandleAsync), listen);
        return endpoint;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = WriteRequest.Parser.ParseFrom(Snappier.Snappy.DecompressToArray(body.ToArray()));
        int number;
        lock (_lock)
        {
            number = _requests.Count;
            _requests.Add(new ReceivedRequest(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                request, 0));
        }
        await Respond(number, context.Response);
        lock (_lock)
        {
            _requests[number] = _requests[number] with { Status = context.Response.StatusCode };
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

internal sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, WriteRequest Body, int Status);
