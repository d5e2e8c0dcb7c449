using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;

namespace Kansoku.Bench.Loadgen;

/// <summary>
/// Sends the prepared requests to <c>/loki/api/v1/push</c> over <c>connections</c> concurrent connections, as fast as
/// the server answers. 429 and 503 are retried after the server's Retry-After (as Loki clients do) and counted.
/// </summary>
internal static class Pusher
{
    private const int MaxAttempts = 50;
    private static readonly MediaTypeHeaderValue s_protobuf = new("application/x-protobuf");

    public sealed record Result(long Requests, long Lines, long RawBytes, TimeSpan Elapsed, long Retries, long Failures, string? FirstFailure);

    public static async Task<Result> RunAsync(Uri server, string bodiesPath, int connections)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var queue = Channel.CreateBounded<PreparedRequest>(new BoundedChannelOptions(connections * 4) { SingleWriter = true });
        long requests = 0, lines = 0, rawBytes = 0, retries = 0, failures = 0;
        string? firstFailure = null;

        var clock = Stopwatch.StartNew();
        var reader = Task.Run(async () =>
        {
            try
            {
                foreach (var request in BodyFile.Read(bodiesPath))
                {
                    await queue.Writer.WriteAsync(request);
                }
            }
            finally
            {
                queue.Writer.Complete();
            }
        });
        var senders = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await foreach (var request in queue.Reader.ReadAllAsync())
            {
                var (attempts, error) = await SendAsync(http, request);
                Interlocked.Add(ref retries, attempts - 1);
                if (error is null)
                {
                    Interlocked.Increment(ref requests);
                    Interlocked.Add(ref lines, request.Lines);
                    Interlocked.Add(ref rawBytes, request.RawBytes);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, error, null);
                }
            }
        })).ToList();
        await Task.WhenAll([reader, .. senders]);
        clock.Stop();
        return new Result(requests, lines, rawBytes, clock.Elapsed, retries, failures, firstFailure);
    }

    /// <summary>Sends until accepted or refused for good: the attempts made and, if refused, why.</summary>
    private static async Task<(int Attempts, string? Error)> SendAsync(HttpClient http, PreparedRequest request)
    {
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            try
            {
                using var content = new ByteArrayContent(request.Body);
                content.Headers.ContentType = s_protobuf;
                using var response = await http.PostAsync("/loki/api/v1/push", content);
                if (response.IsSuccessStatusCode)
                {
                    return (attempt, null);
                }
                var answer = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || attempt == MaxAttempts)
                {
                    return (attempt, answer);
                }
                wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(100);
            }
            catch (HttpRequestException e)
            {
                if (attempt == MaxAttempts)
                {
                    return (attempt, e.Message);
                }
                wait = TimeSpan.FromMilliseconds(100);
            }
            await Task.Delay(wait);
        }
    }
}
